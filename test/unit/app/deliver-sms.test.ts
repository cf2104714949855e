import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { TexterRejectedError, TexterThrottledError } from '../../../lib/domain/errors.js';
import { smsOptOutLine } from '../../../lib/templates/render-sms.js';
import { aDeliveryWorld, anSmsMessage, aSubscribedContact, type DeliveryWorld } from './support/worlds.js';

let nextNumber = 5_550_200;
const aNumber = (): string => {
  nextNumber += 1;
  return `+1206${nextNumber}`;
};

describe('delivering an SMS from the outbox', () => {
  let world: DeliveryWorld;
  const textsTo = (phone: string) => world.world.texter.sentTo(phone);
  beforeEach(async () => {
    world = await aDeliveryWorld();
  });

  describe('when the contact is subscribed to SMS', () => {
    it('texts the rendered body with the opt-out line, as Promotional from the sender ID, and records it sent', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone, name: 'Ann' });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      const outcome = await deliverMessage(world.deps, message);

      expect(outcome).toMatchObject({ outcome: 'sent' });
      const [text, ...others] = textsTo(phone);
      expect(others).toEqual([]);
      expect(text?.sms).toMatchObject({
        to: phone,
        body: `Hi Ann, your ink is running low.\n${smsOptOutLine}`,
        smsType: 'Promotional',
        senderId: 'Rapport',
      });
      const stored = await world.outbox.get(contact.id, message.key);
      expect(stored).toMatchObject({ status: 'sent', providerMessageId: text?.providerMessageId });
    });

    it('sends nothing again when the record is redelivered', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      await deliverMessage(world.deps, message);
      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });
      expect(textsTo(phone)).toHaveLength(1);
    });
  });

  describe('when the contact has no phone number', () => {
    it('skips it as no-phone', async () => {
      const contact = aSubscribedContact();
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'skipped', reason: 'no-phone' });
      expect((await world.outbox.get(contact.id, message.key))?.skipReason).toBe('no-phone');
    });
  });

  describe('when the contact only subscribed to email', () => {
    it('skips it as not-subscribed and texts nothing', async () => {
      const phone = aNumber();
      const subscribed = aSubscribedContact({ phone });
      const contact = {
        ...subscribed,
        consent: {
          ...subscribed.consent,
          sms: { status: 'pending' as const, changedAt: subscribed.createdAt },
        },
      };
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-subscribed',
      });
      expect(textsTo(phone)).toEqual([]);
    });
  });

  describe('when the number is suppressed', () => {
    it('skips it as suppressed', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);
      await world.suppressions.suppress({
        channel: 'sms',
        address: phone,
        reason: 'opt-out',
        at: contact.createdAt,
      });

      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'skipped', reason: 'suppressed' });
      expect(textsTo(phone)).toEqual([]);
    });
  });

  describe('when the number is on the SNS opted-out list', () => {
    it('skips it and records the SMS unsubscribe on the contact', async () => {
      const phone = aNumber();
      world.world.texter.optOut(phone);
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'skipped', reason: 'opted-out' });

      expect(textsTo(phone)).toEqual([]);
      const after = await world.contacts.get(contact.id);
      expect(after?.consent.sms.status).toBe('unsubscribed');
      expect(after?.consent.email.status).toBe('subscribed');
      const log = await world.contacts.consentLog(contact.id);
      expect(log.at(-1)).toMatchObject({
        channel: 'sms',
        action: 'unsubscribed',
        source: { kind: 'carrier-opt-out' },
      });
    });
  });

  describe('when SNS throttles the publish', () => {
    it('tries again after a pause in the same invocation', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);
      world.world.texter.failNext(new TexterThrottledError('Throttling: Rate exceeded'));
      const before = world.world.clock.now().getTime();

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
      expect(textsTo(phone)).toHaveLength(1);
      expect(world.world.clock.now().getTime() - before).toBeGreaterThanOrEqual(200);
    });

    it('hands the claim back and rethrows once its tries are spent, so the retried record can send it', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);
      for (let n = 0; n < 5; n += 1)
        world.world.texter.failNext(new TexterThrottledError('Throttling: Rate exceeded'));

      await expect(deliverMessage(world.deps, message)).rejects.toBeInstanceOf(TexterThrottledError);
      expect((await world.outbox.get(contact.id, message.key))?.status).toBe('queued');

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
      expect(textsTo(phone)).toHaveLength(1);
    });
  });

  describe('when SNS refuses the message for good', () => {
    it('marks it failed without retrying', async () => {
      const contact = aSubscribedContact({ phone: aNumber() });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);
      world.world.texter.failNext(new TexterRejectedError('InvalidParameter: bad number'));

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'failed' });
      expect((await world.outbox.get(contact.id, message.key))?.status).toBe('failed');
    });
  });

  describe('when the body renders more than the cap', () => {
    it('marks it failed, naming the limit, and texts nothing', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const smsBody = '{% for i in (1..5000) %}{% for j in (1..1000) %}Buy now! {% endfor %}{% endfor %}';
      const message = anSmsMessage(contact.id, { smsBody });
      await world.add(contact, [message]);

      const outcome = await deliverMessage(world.deps, message);

      expect(outcome).toMatchObject({
        outcome: 'failed',
        error: expect.stringContaining('body: renders to more than 1,600 characters'),
      });
      expect((await world.outbox.get(contact.id, message.key))?.status).toBe('failed');
      expect(textsTo(phone)).toEqual([]);
    });
  });

  describe('when the body renders longer than three segments', () => {
    it('marks it failed and texts nothing', async () => {
      const phone = aNumber();
      const contact = aSubscribedContact({ phone });
      const message = anSmsMessage(contact.id, { smsBody: 'x'.repeat(600) });
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'failed' });
      expect(textsTo(phone)).toEqual([]);
    });
  });
});
