import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEnrollmentStore } from '../../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { aMessage, anEnrollment, newId } from '../support/builders.js';
import { createTestTable } from '../support/table.js';

let enrollments: DynamoEnrollmentStore;
let outbox: DynamoOutbox;

beforeAll(async () => {
  const { documentClient, tableName } = await createTestTable();
  enrollments = new DynamoEnrollmentStore(documentClient, tableName);
  outbox = new DynamoOutbox(documentClient, tableName);
});

describe('the DynamoDB enrollment store', () => {
  describe('when a contact starts a journey', () => {
    it('stores the enrollment with its first messages', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      const hello = aMessage(contactId, { key: `${enrollment.id}#hello#1`, kind: 'marketing' });

      expect(await enrollments.start(enrollment, [hello], { once: true })).toBe('started');

      expect(await enrollments.listForContact(contactId)).toEqual([enrollment]);
      expect(await outbox.get(contactId, hello.key)).toEqual(hello);
    });
  });

  describe('when the same trigger is replayed', () => {
    it('answers already-started and queues nothing new', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      await enrollments.start(enrollment, [aMessage(contactId, { key: `${enrollment.id}#hello#1` })], {
        once: true,
      });
      const extra = aMessage(contactId, { key: `${enrollment.id}#extra#1` });

      expect(await enrollments.start(enrollment, [extra], { once: true })).toBe('already-started');

      expect(await outbox.get(contactId, extra.key)).toBeUndefined();
      expect(await enrollments.listForContact(contactId)).toHaveLength(1);
    });
  });

  describe('when a journey allows one entry and the contact entered before', () => {
    it('answers already-entered and stores nothing', async () => {
      const contactId = newId();
      await enrollments.start(anEnrollment(contactId), [], { once: true });
      const second = anEnrollment(contactId);
      const message = aMessage(contactId, { key: `${second.id}#hello#1` });

      expect(await enrollments.start(second, [message], { once: true })).toBe('already-entered');

      expect(await enrollments.listForContact(contactId)).toHaveLength(1);
      expect(await outbox.get(contactId, message.key)).toBeUndefined();
    });
  });

  describe('when a journey allows re-entry', () => {
    it('starts a second enrollment for the same contact', async () => {
      const contactId = newId();
      await enrollments.start(anEnrollment(contactId), [], { once: false });

      expect(await enrollments.start(anEnrollment(contactId), [], { once: false })).toBe('started');
      expect(await enrollments.listForContact(contactId)).toHaveLength(2);
    });
  });
});
