import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEnrollmentStore } from '../../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import type { Timer } from '../../../lib/domain/timer.js';
import { timerLocation } from '../../../lib/ports/timer-store.js';
import { aMessage, anEnrollment, newId } from '../support/builders.js';
import { createTestTable } from '../support/table.js';

const shards = 4;
let enrollments: DynamoEnrollmentStore;
let outbox: DynamoOutbox;
let timers: DynamoTimerStore;

beforeAll(async () => {
  const { documentClient, tableName } = await createTestTable();
  enrollments = new DynamoEnrollmentStore(documentClient, tableName, shards);
  outbox = new DynamoOutbox(documentClient, tableName);
  timers = new DynamoTimerStore(documentClient, tableName, shards);
});

const once = { reentry: 'never', exclusive: true } as const;
const always = { reentry: 'always', exclusive: false } as const;
const none = { messages: [], timers: [] };

const aTimer = (contactId: string, enrollmentId: string, dueAt: string): Timer => ({
  id: `welcome#${enrollmentId}#pause#1`,
  contactId,
  dueAt,
  journeyId: 'welcome',
  enrollmentId,
  nodeId: 'pause',
  visit: 1,
});

describe('the DynamoDB enrollment store', () => {
  describe('when a contact starts a journey', () => {
    it('stores the enrollment with its first messages and timers', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId, { enteredAt: '2030-01-01T09:00:00.000Z' });
      const hello = aMessage(contactId, { key: `${enrollment.id}#hello#1`, kind: 'marketing' });
      const timer = aTimer(contactId, enrollment.id, '2030-01-04T09:00:00.000Z');

      expect(await enrollments.start(enrollment, { messages: [hello], timers: [timer] }, once)).toBe(
        'started',
      );

      // The journey allows one enrollment at a time, so this one holds the marker.
      expect(await enrollments.listForContact(contactId)).toEqual([
        { ...enrollment, holdsActiveMarker: true },
      ]);
      expect(await outbox.get(contactId, hello.key)).toEqual(hello);
      const filed = await timers.dueIn(
        timerLocation(timer, shards, new Date(enrollment.enteredAt)),
        new Date(timer.dueAt),
        10,
      );
      expect(filed.map((due) => due.timer)).toEqual([timer]);
    });
  });

  describe('when the same trigger is replayed', () => {
    it('answers already-started and queues nothing new', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      await enrollments.start(
        enrollment,
        { messages: [aMessage(contactId, { key: `${enrollment.id}#hello#1` })], timers: [] },
        once,
      );
      const extra = aMessage(contactId, { key: `${enrollment.id}#extra#1` });

      expect(await enrollments.start(enrollment, { messages: [extra], timers: [] }, once)).toBe(
        'already-started',
      );

      expect(await outbox.get(contactId, extra.key)).toBeUndefined();
      expect(await enrollments.listForContact(contactId)).toHaveLength(1);
    });
  });

  describe('when a journey allows one entry and the contact entered before', () => {
    it('answers already-entered and stores nothing', async () => {
      const contactId = newId();
      await enrollments.start(anEnrollment(contactId, { status: 'completed' }), none, once);
      const second = anEnrollment(contactId);
      const message = aMessage(contactId, { key: `${second.id}#hello#1` });

      expect(await enrollments.start(second, { messages: [message], timers: [] }, once)).toBe(
        'already-entered',
      );

      expect(await enrollments.listForContact(contactId)).toHaveLength(1);
      expect(await outbox.get(contactId, message.key)).toBeUndefined();
    });
  });

  describe('when a journey allows re-entry', () => {
    it('starts a second enrollment for the same contact', async () => {
      const contactId = newId();
      await enrollments.start(anEnrollment(contactId), none, always);

      expect(await enrollments.start(anEnrollment(contactId), none, always)).toBe('started');
      expect(await enrollments.listForContact(contactId)).toHaveLength(2);
    });
  });

  describe('when a journey allows re-entry after a cooldown', () => {
    const cooldown = (since: string) => ({ reentry: { since: new Date(since) }, exclusive: false });

    it('refuses an entry within the cooldown and accepts one after it', async () => {
      const contactId = newId();
      await enrollments.start(
        anEnrollment(contactId, { enteredAt: '2030-01-01T00:00:00.000Z' }),
        none,
        cooldown('2029-12-01T00:00:00.000Z'),
      );

      const tooSoon = anEnrollment(contactId, { enteredAt: '2030-01-10T00:00:00.000Z' });
      expect(await enrollments.start(tooSoon, none, cooldown('2029-12-11T00:00:00.000Z'))).toBe(
        'cooling-down',
      );

      const later = anEnrollment(contactId, { enteredAt: '2030-03-01T00:00:00.000Z' });
      expect(await enrollments.start(later, none, cooldown('2030-01-30T00:00:00.000Z'))).toBe('started');
    });
  });

  describe('when a journey allows one enrollment at a time', () => {
    const exclusive = { reentry: 'always', exclusive: true } as const;

    it('refuses a second while the first runs, and accepts one once it has ended', async () => {
      const contactId = newId();
      const first = anEnrollment(contactId);
      await enrollments.start(first, none, exclusive);
      expect(await enrollments.start(anEnrollment(contactId), none, exclusive)).toBe('already-active');

      const [stored] = await enrollments.listForContact(contactId);
      await enrollments.advance({ ...(stored ?? first), status: 'completed', version: 2 }, 1, none);

      expect(await enrollments.start(anEnrollment(contactId), none, exclusive)).toBe('started');
    });
  });

  describe('when the journey stopped allowing concurrent enrollments between versions', () => {
    it('ends the older enrollment without touching the marker the newer one holds', async () => {
      const contactId = newId();
      const older = anEnrollment(contactId);
      await enrollments.start(older, none, always);
      const newer = anEnrollment(contactId);
      await enrollments.start(newer, none, { reentry: 'always', exclusive: true });

      await enrollments.advance({ ...older, status: 'completed', version: 2 }, 1, none);

      expect(
        await enrollments.start(anEnrollment(contactId), none, { reentry: 'always', exclusive: true }),
      ).toBe('already-active');
    });
  });

  describe('when an enrollment advances', () => {
    it('writes the new state and its effects', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      await enrollments.start(enrollment, none, always);
      const next = aMessage(contactId, { key: `${enrollment.id}#tips#1`, kind: 'marketing' });

      await enrollments.advance({ ...enrollment, currentNode: 'tips', version: 2 }, 1, {
        messages: [next],
        timers: [],
      });

      expect((await enrollments.listForContact(contactId))[0]).toMatchObject({
        currentNode: 'tips',
        version: 2,
      });
      expect(await outbox.get(contactId, next.key)).toEqual(next);
    });

    it('refuses a stale version and writes none of the effects', async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      await enrollments.start(enrollment, none, always);
      await enrollments.advance({ ...enrollment, version: 2 }, 1, none);
      const lost = aMessage(contactId, { key: `${enrollment.id}#lost#1` });

      await expect(
        enrollments.advance({ ...enrollment, version: 2 }, 1, { messages: [lost], timers: [] }),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      expect(await outbox.get(contactId, lost.key)).toBeUndefined();
    });
  });
});
