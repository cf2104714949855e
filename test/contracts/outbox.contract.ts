import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { Message } from '../../lib/domain/message.js';
import { aConsentEntry, aContact, aMessage, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const now = new Date('2026-11-23T10:00:00.000Z');
const leaseMs = 60_000;
const later = (ms: number): Date => new Date(now.getTime() + ms);

/** Outbox: the claim is a lease, and only its holder records an outcome. */
export const outboxContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    const queued = async (...messages: Array<Partial<Message>>): Promise<Message[]> => {
      const contact = aContact();
      const stored = (messages.length === 0 ? [{}] : messages).map((overrides) =>
        aMessage(contact.id, overrides),
      );
      await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: stored });
      return stored;
    };
    const queuedMessage = async (): Promise<Message> => {
      const [message] = await queued();
      if (message === undefined) throw new Error('nothing queued');
      return message;
    };

    describe('when a message is enqueued by itself (a campaign’s, at its slot)', () => {
      it('writes it once: a second write with the same key keeps the first and says so', async () => {
        const contact = aContact();
        const message = aMessage(contact.id, { key: 'campaign#winter', variant: 'a' });

        expect(await stores.outbox.enqueue(message)).toBe(true);
        expect(
          await stores.outbox.enqueue({ ...message, variant: 'b', createdAt: later(1_000).toISOString() }),
        ).toBe(false);
        expect(await stores.outbox.get(contact.id, message.key)).toEqual(message);
      });
    });

    describe('when two deliveries claim the same queued message at once', () => {
      it('lets exactly one of them have it', async () => {
        const message = await queuedMessage();

        const results = await Promise.all([
          stores.outbox.claim(message.contactId, message.key, now, leaseMs),
          stores.outbox.claim(message.contactId, message.key, now, leaseMs),
        ]);

        expect(results.map((result) => result.outcome).sort()).toEqual(['claimed', 'in-flight']);
        expect(await stores.outbox.get(message.contactId, message.key)).toMatchObject({
          status: 'sending',
          attempts: 1,
          claimExpiresAt: later(leaseMs).toISOString(),
        });
      });
    });

    describe('when the message was sent', () => {
      it('answers finished to a later claim and keeps the outcome', async () => {
        const message = await queuedMessage();
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);
        await stores.outbox.markSent(message.contactId, message.key, {
          providerMessageId: 'ses-1',
          sentAt: later(500),
        });

        const result = await stores.outbox.claim(message.contactId, message.key, later(1_000), leaseMs);

        expect(result.outcome).toBe('finished');
        const stored = await stores.outbox.get(message.contactId, message.key);
        expect(stored).toMatchObject({
          status: 'sent',
          providerMessageId: 'ses-1',
          sentAt: later(500).toISOString(),
        });
        expect(stored?.claimExpiresAt).toBeUndefined();
      });

      it('answers finished for a skipped, failed or deferred message too', async () => {
        const [skipped, failed, deferred] = await queued(
          {},
          { key: `b#${newId()}` },
          { key: `c#${newId()}` },
        );
        if (skipped === undefined || failed === undefined || deferred === undefined)
          throw new Error('not queued');
        const { contactId } = skipped;
        for (const message of [skipped, failed, deferred])
          await stores.outbox.claim(contactId, message.key, now, leaseMs);
        await stores.outbox.markSkipped(contactId, skipped.key, 'suppressed');
        await stores.outbox.markFailed(contactId, failed.key, 'MessageRejected: bad address');
        await stores.outbox.markDeferred(contactId, deferred.key, {
          until: new Date('2026-11-24T08:00:00.000Z'),
          reason: 'quiet-hours',
        });

        expect(await stores.outbox.claim(contactId, skipped.key, later(1), leaseMs)).toMatchObject({
          outcome: 'finished',
          message: { status: 'skipped', skipReason: 'suppressed' },
        });
        expect(await stores.outbox.claim(contactId, failed.key, later(1), leaseMs)).toMatchObject({
          outcome: 'finished',
          message: { status: 'failed', error: 'MessageRejected: bad address' },
        });
        expect(await stores.outbox.claim(contactId, deferred.key, later(1), leaseMs)).toMatchObject({
          outcome: 'finished',
          message: {
            status: 'deferred',
            deferredUntil: '2026-11-24T08:00:00.000Z',
            deferReason: 'quiet-hours',
          },
        });
      });
    });

    describe('when a journey message is skipped with its event', () => {
      it('writes the status and the event together, and the event only once', async () => {
        const message = await queuedMessage();
        const skippedEvent: ContactEvent = {
          id: `skip-${newId()}`,
          contactId: message.contactId,
          type: 'message_skipped',
          at: now.toISOString(),
          data: { reason: 'not-subscribed' },
        };
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);

        await stores.outbox.markSkipped(message.contactId, message.key, 'not-subscribed', skippedEvent);
        await expect(
          stores.outbox.markSkipped(message.contactId, message.key, 'not-subscribed', skippedEvent),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);

        expect(await stores.outbox.get(message.contactId, message.key)).toMatchObject({
          status: 'skipped',
          skipReason: 'not-subscribed',
        });
        const events = (await stores.personalData.partition(message.contactId)).filter(
          (item) => item.group === 'events',
        );
        expect(events.map((item) => item.item)).toEqual([skippedEvent]);
      });
    });

    describe('when the message does not exist', () => {
      it('answers missing and creates nothing', async () => {
        const contactId = newId();

        expect(await stores.outbox.claim(contactId, 'nothing#here', now, leaseMs)).toEqual({
          outcome: 'missing',
        });
        expect(await stores.outbox.get(contactId, 'nothing#here')).toBeUndefined();
        await expect(stores.outbox.markFailed(contactId, 'nothing#here', 'x')).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
        expect(await stores.outbox.get(contactId, 'nothing#here')).toBeUndefined();
      });
    });

    describe('when a claim is held', () => {
      it('refuses another claim while the lease runs', async () => {
        const message = await queuedMessage();
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);

        expect(
          (await stores.outbox.claim(message.contactId, message.key, later(leaseMs - 1), leaseMs)).outcome,
        ).toBe('in-flight');
      });

      it('lets a delivery take over once the lease expired, and the first holder can no longer record an outcome', async () => {
        const message = await queuedMessage();
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);

        const takeover = await stores.outbox.claim(
          message.contactId,
          message.key,
          later(leaseMs + 1),
          leaseMs,
        );

        expect(takeover).toMatchObject({
          outcome: 'claimed',
          message: { status: 'sending', attempts: 2, claimExpiresAt: later(2 * leaseMs + 1).toISOString() },
        });
        await stores.outbox.markSent(message.contactId, message.key, {
          providerMessageId: 'ses-2',
          sentAt: later(leaseMs + 2),
        });
        await expect(
          stores.outbox.markSent(message.contactId, message.key, {
            providerMessageId: 'ses-1',
            sentAt: later(leaseMs + 3),
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.outbox.get(message.contactId, message.key)).toMatchObject({
          providerMessageId: 'ses-2',
        });
      });
    });

    describe('when the outcome is recorded with its counters', () => {
      const sentOn = (day: string) => [
        { scope: 'campaign:spring', day, metric: 'sent', by: 1 },
        { scope: 'campaign:spring/a', day, metric: 'sent', by: 1 },
      ];

      it('counts the delivery that moved the message, and not the one whose claim had lapsed', async () => {
        const message = await queuedMessage();
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);
        await stores.outbox.claim(message.contactId, message.key, later(leaseMs + 1), leaseMs);

        await stores.outbox.markSent(
          message.contactId,
          message.key,
          { providerMessageId: 'ses-2', sentAt: later(leaseMs + 2) },
          sentOn('2026-12-01'),
        );
        await expect(
          stores.outbox.markSent(
            message.contactId,
            message.key,
            { providerMessageId: 'ses-1', sentAt: later(leaseMs + 3) },
            sentOn('2026-12-01'),
          ),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);

        expect(await stores.stats.read('campaign:spring', '2026-12-01')).toEqual({ sent: 1 });
        expect(await stores.stats.read('campaign:spring/a', '2026-12-01')).toEqual({ sent: 1 });
      });

      it('counts skips (with their event), failures and deferrals once each, however often they are recorded', async () => {
        const [skipped, failed, deferred] = await queued({}, {}, {});
        if (skipped === undefined || failed === undefined || deferred === undefined)
          throw new Error('not queued');
        for (const message of [skipped, failed, deferred])
          await stores.outbox.claim(message.contactId, message.key, now, leaseMs);
        const counted = (metric: string) => [{ scope: 'journey:welcome', day: '2026-12-02', metric, by: 1 }];
        const skippedEvent: ContactEvent = {
          id: `skip-${newId()}`,
          contactId: skipped.contactId,
          type: 'message_skipped',
          at: now.toISOString(),
          data: { reason: 'suppressed' },
        };

        for (let time = 0; time < 2; time += 1) {
          await Promise.allSettled([
            stores.outbox.markSkipped(
              skipped.contactId,
              skipped.key,
              'suppressed',
              skippedEvent,
              counted('skipped:suppressed'),
            ),
            stores.outbox.markFailed(failed.contactId, failed.key, 'rejected', counted('failed')),
            stores.outbox.markDeferred(
              deferred.contactId,
              deferred.key,
              { until: later(3_600_000), reason: 'quiet-hours' },
              counted('deferred:quiet-hours'),
            ),
          ]);
        }

        expect(await stores.stats.read('journey:welcome', '2026-12-02')).toEqual({
          'skipped:suppressed': 1,
          failed: 1,
          'deferred:quiet-hours': 1,
        });
      });

      it('counts nothing for a message that was never claimed', async () => {
        const message = await queuedMessage();

        await expect(
          stores.outbox.markFailed(message.contactId, message.key, 'x', [
            { scope: 'journey:welcome', day: '2026-12-03', metric: 'failed', by: 1 },
          ]),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.stats.read('journey:welcome', '2026-12-03')).toEqual({});
      });
    });

    describe('when a delivery releases its claim', () => {
      it('puts the message back in the queue so the next claim gets it', async () => {
        const message = await queuedMessage();
        await stores.outbox.claim(message.contactId, message.key, now, leaseMs);

        await stores.outbox.release(message.contactId, message.key);

        const released = await stores.outbox.get(message.contactId, message.key);
        expect(released).toMatchObject({ status: 'queued', attempts: 1 });
        expect(released?.claimExpiresAt).toBeUndefined();
        expect(await stores.outbox.claim(message.contactId, message.key, later(1), leaseMs)).toMatchObject({
          outcome: 'claimed',
          message: { attempts: 2 },
        });
      });

      it('cannot release a message nobody claimed', async () => {
        const message = await queuedMessage();

        await expect(stores.outbox.release(message.contactId, message.key)).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
      });
    });

    describe('what frequency caps count', () => {
      it('lists the send times of the contact’s sent marketing messages on the channel since a moment', async () => {
        const sent = (key: string, sentAt: string, overrides: Partial<Message> = {}): Partial<Message> => ({
          key,
          kind: 'marketing',
          status: 'sent',
          sentAt,
          providerMessageId: 'p',
          ...overrides,
        });
        const messages = await queued(
          sent('a#1', '2026-11-20T10:00:00.000Z'),
          sent('b#1', '2026-11-22T10:00:00.000Z'),
          sent('c#1', '2026-11-10T10:00:00.000Z'),
          sent('d#1', '2026-11-21T10:00:00.000Z', { kind: 'transactional' }),
          sent('e#1', '2026-11-21T11:00:00.000Z', { channel: 'sms' }),
          { key: 'f#1', kind: 'marketing' },
        );
        const contactId = messages[0]?.contactId ?? '';

        const times = await stores.outbox.sentSince(contactId, 'email', new Date('2026-11-20T10:00:00.000Z'));

        expect(times.map((time) => time.toISOString()).sort()).toEqual([
          '2026-11-20T10:00:00.000Z',
          '2026-11-22T10:00:00.000Z',
        ]);
        expect(await stores.outbox.sentSince(contactId, 'sms', new Date('2026-11-01T00:00:00.000Z'))).toEqual(
          [new Date('2026-11-21T11:00:00.000Z')],
        );
      });
    });
  });
