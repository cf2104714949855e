import { beforeEach, describe, expect, it } from 'vitest';
import { deferredCopyKey, deliverMessage } from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { type DeliveryPolicy, loadDeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import type { Message } from '../../../lib/domain/message.js';
import {
  aDeliveryWorld,
  aJourneyMessage,
  anSmsMessage,
  aSubscribedContact,
  type DeliveryWorld,
  timerShards,
} from './support/worlds.js';

/** Three marketing emails a week, deferred when capped; quiet 21:00–08:00 in the contact's zone. */
const deferring: DeliveryPolicy = loadDeliveryPolicy(`
email:
  caps: [{ max: 3, per: P7D }]
  quiet_hours: { start: "21:00", end: "08:00" }
  when_capped: defer
sms:
  caps: [{ max: 1, per: P1D }]
  when_capped: skip
`);

const skipping: DeliveryPolicy = loadDeliveryPolicy(`
email:
  caps: [{ max: 3, per: P7D }]
  when_capped: skip
`);

const sent = (contactId: string, sentAt: string, overrides: Partial<Message> = {}): Message =>
  aJourneyMessage(contactId, { status: 'sent', sentAt, providerMessageId: 'ses-earlier', ...overrides });

describe('the delivery policy at send time', () => {
  let world: DeliveryWorld;
  beforeEach(async () => {
    world = await aDeliveryWorld({ now: '2026-11-23T12:00:00.000Z' });
  });

  describe('when a contact already had three marketing emails this week, from two journeys', () => {
    const earlier = ['2026-11-18T10:00:00.000Z', '2026-11-20T10:00:00.000Z', '2026-11-22T10:00:00.000Z'];
    const history = (contactId: string) => [
      sent(contactId, earlier[0] ?? ''),
      sent(contactId, earlier[1] ?? '', { journeyId: 'win-back', key: `win-back#${contactId}#a#1` }),
      sent(contactId, earlier[2] ?? ''),
    ];

    it('defers the fourth until the oldest leaves the window, then sends its copy when the wheel queues it', async () => {
      world.usePolicy(deferring);
      const contact = aSubscribedContact();
      const fourth = aJourneyMessage(contact.id);
      await world.add(contact, [...history(contact.id), fourth]);

      const outcome = await deliverMessage(world.deps, fourth);

      // The send of Nov 18, 10:00 leaves the 7-day window on Nov 25, 10:00 (UTC, outside quiet hours).
      expect(outcome).toEqual({ outcome: 'deferred', until: '2026-11-25T10:00:00.000Z', reason: 'capped' });
      expect(await world.outbox.get(contact.id, fourth.key)).toMatchObject({
        status: 'deferred',
        deferredUntil: '2026-11-25T10:00:00.000Z',
        deferReason: 'capped',
      });

      const copyKey = deferredCopyKey(fourth.key);
      world.clock.set('2026-11-25T10:01:00.000Z');
      await fireDueTimers({ timers: world.timers }, world.clock.now(), {
        shards: timerShards,
        settleSeconds: 0,
      });
      expect(await world.outbox.get(contact.id, copyKey)).toMatchObject({ status: 'queued', attempts: 0 });

      expect(await deliverMessage(world.deps, { contactId: contact.id, key: copyKey })).toMatchObject({
        outcome: 'sent',
      });
    });

    it('skips the fourth as capped when the policy says skip', async () => {
      world.usePolicy(skipping);
      const contact = aSubscribedContact();
      const fourth = aJourneyMessage(contact.id);
      await world.add(contact, [...history(contact.id), fourth]);

      expect(await deliverMessage(world.deps, fourth)).toEqual({ outcome: 'skipped', reason: 'capped' });
    });

    it('lets a transactional email through', async () => {
      world.usePolicy(skipping);
      const contact = aSubscribedContact();
      const confirmation = aJourneyMessage(contact.id, {
        kind: 'transactional',
        templateId: 'news',
        key: `confirm#${contact.id}`,
      });
      await world.add(contact, [...history(contact.id), confirmation]);

      expect(await deliverMessage(world.deps, confirmation)).not.toMatchObject({ outcome: 'skipped' });
    });
  });

  describe('when a marketing email falls in the quiet hours of the contact’s time zone', () => {
    it('defers it to 08:00 there', async () => {
      world.usePolicy(deferring);
      // 22:30 in Berlin (UTC+1 in November).
      world.clock.set('2026-11-23T21:30:00.000Z');
      const contact = aSubscribedContact({ timeZone: 'Europe/Berlin' });
      const message = aJourneyMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'deferred',
        until: '2026-11-24T07:00:00.000Z',
        reason: 'quiet-hours',
      });
    });

    it('sends it at once to a contact for whom it is daytime', async () => {
      world.usePolicy(deferring);
      world.clock.set('2026-11-23T21:30:00.000Z');
      const contact = aSubscribedContact({ timeZone: 'America/Los_Angeles' });
      const message = aJourneyMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
    });
  });

  describe('when SMS are capped at one a day across journeys', () => {
    it('skips a second SMS from another journey the same day', async () => {
      world.usePolicy(deferring);
      const phone = '+12065550999';
      const contact = aSubscribedContact({ phone });
      const first = anSmsMessage(contact.id);
      const second = anSmsMessage(contact.id, { journeyId: 'win-back', key: `win-back#${contact.id}#sms#1` });
      await world.add(contact, [first, second]);

      expect(await deliverMessage(world.deps, first)).toMatchObject({ outcome: 'sent' });
      expect(await deliverMessage(world.deps, second)).toEqual({ outcome: 'skipped', reason: 'capped' });
    });
  });

  describe('when the delivery died after marking a message deferred and before filing its copy', () => {
    it('files the copy when the record is redelivered', async () => {
      world.usePolicy(deferring);
      const contact = aSubscribedContact();
      const message = aJourneyMessage(contact.id);
      await world.add(contact, [message]);
      await world.outbox.claim(contact.id, message.key, world.clock.now(), 40_000);
      await world.outbox.markDeferred(contact.id, message.key, {
        until: new Date('2026-11-24T08:00:00.000Z'),
        reason: 'quiet-hours',
      });

      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });

      world.clock.set('2026-11-24T08:01:00.000Z');
      const fired = await fireDueTimers({ timers: world.timers }, world.clock.now(), {
        shards: timerShards,
        settleSeconds: 0,
      });
      expect(fired.fired).toBe(1);
      expect(await world.outbox.get(contact.id, deferredCopyKey(message.key))).toMatchObject({
        status: 'queued',
      });
    });
  });
});
