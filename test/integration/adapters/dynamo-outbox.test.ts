import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import type { Message } from '../../../lib/domain/message.js';
import { aConsentEntry, aContact, aMessage, newId } from '../support/builders.js';
import { createTestTable } from '../support/table.js';

let outbox: DynamoOutbox;
let contacts: DynamoContactStore;

const now = new Date('2026-11-23T10:00:00.000Z');
const leaseMs = 60_000;
const later = (ms: number): Date => new Date(now.getTime() + ms);

beforeAll(async () => {
  const { documentClient, tableName } = await createTestTable();
  outbox = new DynamoOutbox(documentClient, tableName);
  contacts = new DynamoContactStore(documentClient, tableName);
});

const queuedMessage = async (): Promise<Message> => {
  const contact = aContact();
  const message = aMessage(contact.id);
  await contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [message] });
  return message;
};

describe('the DynamoDB outbox', () => {
  describe('when two deliveries claim the same queued message at once', () => {
    it('lets exactly one of them have it', async () => {
      const message = await queuedMessage();

      const results = await Promise.all([
        outbox.claim(message.contactId, message.key, now, leaseMs),
        outbox.claim(message.contactId, message.key, now, leaseMs),
      ]);

      expect(results.map((result) => result.outcome).sort()).toEqual(['claimed', 'in-flight']);
      expect(await outbox.get(message.contactId, message.key)).toMatchObject({
        status: 'sending',
        attempts: 1,
        claimExpiresAt: later(leaseMs).toISOString(),
      });
    });
  });

  describe('when the message was sent', () => {
    it('answers finished to a later claim and keeps the outcome', async () => {
      const message = await queuedMessage();
      await outbox.claim(message.contactId, message.key, now, leaseMs);
      await outbox.markSent(message.contactId, message.key, {
        providerMessageId: 'ses-1',
        sentAt: later(500),
      });

      const result = await outbox.claim(message.contactId, message.key, later(1_000), leaseMs);

      expect(result.outcome).toBe('finished');
      const stored = await outbox.get(message.contactId, message.key);
      expect(stored).toMatchObject({
        status: 'sent',
        providerMessageId: 'ses-1',
        sentAt: later(500).toISOString(),
      });
      expect(stored?.claimExpiresAt).toBeUndefined();
    });

    it('answers finished for a skipped or failed message too', async () => {
      const skipped = await queuedMessage();
      await outbox.claim(skipped.contactId, skipped.key, now, leaseMs);
      await outbox.markSkipped(skipped.contactId, skipped.key, 'suppressed');
      const failed = await queuedMessage();
      await outbox.claim(failed.contactId, failed.key, now, leaseMs);
      await outbox.markFailed(failed.contactId, failed.key, 'MessageRejected: bad address');

      expect(await outbox.claim(skipped.contactId, skipped.key, later(1), leaseMs)).toMatchObject({
        outcome: 'finished',
        message: { status: 'skipped', skipReason: 'suppressed' },
      });
      expect(await outbox.claim(failed.contactId, failed.key, later(1), leaseMs)).toMatchObject({
        outcome: 'finished',
        message: { status: 'failed', error: 'MessageRejected: bad address' },
      });
    });
  });

  describe('when the message does not exist', () => {
    it('answers missing and creates nothing', async () => {
      const contactId = newId();

      expect(await outbox.claim(contactId, 'nothing#here', now, leaseMs)).toEqual({ outcome: 'missing' });
      expect(await outbox.get(contactId, 'nothing#here')).toBeUndefined();
    });
  });

  describe('when a claim is held', () => {
    it('refuses another claim while the lease runs', async () => {
      const message = await queuedMessage();
      await outbox.claim(message.contactId, message.key, now, leaseMs);

      expect((await outbox.claim(message.contactId, message.key, later(leaseMs - 1), leaseMs)).outcome).toBe(
        'in-flight',
      );
    });

    it('lets a delivery take over once the lease expired, and the first holder can no longer record an outcome', async () => {
      const message = await queuedMessage();
      await outbox.claim(message.contactId, message.key, now, leaseMs);

      const takeover = await outbox.claim(message.contactId, message.key, later(leaseMs + 1), leaseMs);

      expect(takeover).toMatchObject({
        outcome: 'claimed',
        message: { status: 'sending', attempts: 2, claimExpiresAt: later(2 * leaseMs + 1).toISOString() },
      });
      await outbox.markSent(message.contactId, message.key, {
        providerMessageId: 'ses-2',
        sentAt: later(leaseMs + 2),
      });
      await expect(
        outbox.markSent(message.contactId, message.key, {
          providerMessageId: 'ses-1',
          sentAt: later(leaseMs + 3),
        }),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      expect(await outbox.get(message.contactId, message.key)).toMatchObject({ providerMessageId: 'ses-2' });
    });
  });

  describe('when a delivery releases its claim', () => {
    it('puts the message back in the queue so the next claim gets it', async () => {
      const message = await queuedMessage();
      await outbox.claim(message.contactId, message.key, now, leaseMs);

      await outbox.release(message.contactId, message.key);

      const released = await outbox.get(message.contactId, message.key);
      expect(released).toMatchObject({ status: 'queued', attempts: 1 });
      expect(released?.claimExpiresAt).toBeUndefined();
      expect(await outbox.claim(message.contactId, message.key, later(1), leaseMs)).toMatchObject({
        outcome: 'claimed',
        message: { attempts: 2 },
      });
    });

    it('cannot release a message nobody claimed', async () => {
      const message = await queuedMessage();

      await expect(outbox.release(message.contactId, message.key)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
    });
  });
});
