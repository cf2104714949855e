import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { exportContact } from '../../../lib/app/export-contact.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification, type SesNotification } from '../../../lib/domain/ses-notification.js';
import { aJourneyMessage, aSubscribedContact } from '../../support/builders.js';
import { aDeliveryWorld, type DeliveryWorld } from './support/worlds.js';

const dayMs = 86_400_000;
const address = 'often-full@example.com';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/ses/${name}`, import.meta.url), 'utf8');

/** SES's bounce event as the configuration set publishes it (a full mailbox unless told), about mail `mailId` to `to`. */
const bounceOf = (
  mailId: string,
  options: { to?: string; type?: 'Transient' | 'Undetermined' | 'Permanent' } = {},
): SesNotification => {
  const to = options.to ?? address;
  const event = fixture(
    options.type === 'Undetermined'
      ? 'bounce-undetermined.json'
      : options.type === 'Permanent'
        ? 'bounce-permanent.json'
        : 'bounce-transient.json',
  );
  const text = event
    .replaceAll(/"[^"@]+@example\.com"/gi, JSON.stringify(to))
    .replaceAll(/"messageId":\s*"[^"]+"/g, `"messageId": ${JSON.stringify(mailId)}`);
  return parseSesNotification(text);
};

let snsMessages = 0;
/** A new SNS notification; a redelivery keeps its id. */
const anSnsMessage = () => {
  snsMessages += 1;
  return { notificationId: `sns-${snsMessages}` };
};

describe('soft bounces', () => {
  let delivery: DeliveryWorld;
  let contact: Contact;

  const feedbackDeps = () => ({
    ...delivery.world,
    settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds },
  });
  const receive = (notification: SesNotification, sns = anSnsMessage()) =>
    recordSesFeedback(feedbackDeps(), notification, sns, delivery.clock.now());
  const laterBy = (days: number) => delivery.clock.advance(days * dayMs);
  const deliverNews = async () => {
    const message = aJourneyMessage(contact.id);
    await delivery.outbox.enqueue(message);
    return deliverMessage(delivery.deps, message);
  };
  const logged = async () =>
    (await delivery.contacts.consentLog(contact.id)).filter((entry) => entry.action === 'suppressed');

  beforeEach(async () => {
    delivery = await aDeliveryWorld({ now: '2026-11-01T09:00:00.000Z' });
    contact = aSubscribedContact({ email: address });
    await delivery.add(contact, []);
  });

  describe('when an address soft-bounces three times within 30 days', () => {
    beforeEach(async () => {
      await receive(bounceOf('mail-1'));
      laterBy(10);
      await receive(bounceOf('mail-2'));
    });

    it('suppresses it for 30 days only at the third, and says so on the consent log', async () => {
      expect(await delivery.suppressions.isSuppressed('email', address, delivery.clock.now())).toBe(false);
      laterBy(10);

      const third = await receive(bounceOf('mail-3'));

      expect(third.suppressed).toEqual([address]);
      expect(await delivery.suppressions.find('email', address)).toEqual({
        reason: 'soft-bounce',
        at: '2026-11-21T09:00:00.000Z',
        until: '2026-12-21T09:00:00.000Z',
        detail: 'MailboxFull: smtp; 552 5.2.2 mailbox full',
      });
      expect(await logged()).toMatchObject([
        {
          at: '2026-11-21T09:00:00.000Z',
          source: { kind: 'ses-feedback' },
          reason: 'suppressed until 2026-12-21 after 3 soft bounces in 30 days',
        },
      ]);
    });

    it('skips its mail as soft-bounced, apart from suppressed addresses', async () => {
      laterBy(10);
      await receive(bounceOf('mail-3'));

      const outcome = await deliverNews();

      expect(outcome).toEqual({ outcome: 'skipped', reason: 'soft-bounced' });
      expect(delivery.world.mailer.sentTo(address)).toEqual([]);
      expect(await delivery.world.stats.read('journey:welcome', '2026-11-21')).toMatchObject({
        'skipped:soft-bounced': 1,
      });
    });

    it('shows the suppression in the export, with its end', async () => {
      laterBy(10);
      await receive(bounceOf('mail-3'));

      const exported = await exportContact(delivery.world, contact.id);

      expect(exported.suppression.email).toEqual({
        suppressed: true,
        reason: 'soft-bounce',
        at: '2026-11-21T09:00:00.000Z',
        until: '2026-12-21T09:00:00.000Z',
        detail: 'MailboxFull: smtp; 552 5.2.2 mailbox full',
      });
    });

    it('tries the address again after 30 days, with its count started over', async () => {
      laterBy(10);
      await receive(bounceOf('mail-3'));
      laterBy(30);

      expect(await deliverNews()).toMatchObject({ outcome: 'sent' });
      const next = await receive(bounceOf('mail-4'));

      expect(next.suppressed).toEqual([]);
      expect(await delivery.suppressions.isSuppressed('email', address, delivery.clock.now())).toBe(false);
      expect((await exportContact(delivery.world, contact.id)).suppression.email).toMatchObject({
        suppressed: false,
        until: '2026-12-21T09:00:00.000Z',
      });
    });

    it('suppresses for good when the address then bounces for good', async () => {
      laterBy(10);
      await receive(bounceOf('mail-3'));
      laterBy(1);

      const hard = await receive(bounceOf('mail-4', { type: 'Permanent' }));

      expect(hard.suppressed).toEqual([address]);
      expect(await delivery.suppressions.find('email', address)).toMatchObject({ reason: 'bounce' });
      laterBy(60);
      expect(await deliverNews()).toEqual({ outcome: 'skipped', reason: 'suppressed' });
    });
  });

  describe('when SNS delivers the same notification again', () => {
    it('counts its bounce once', async () => {
      const first = anSnsMessage();
      await receive(bounceOf('mail-1'), first);
      laterBy(1);
      await receive(bounceOf('mail-1'), first);
      laterBy(1);
      // The same mail's bounce in another notification is still the same bounce.
      await receive(bounceOf('mail-1'));

      await receive(bounceOf('mail-2'));

      expect(await delivery.suppressions.isSuppressed('email', address, delivery.clock.now())).toBe(false);
      expect(await deliverNews()).toMatchObject({ outcome: 'sent' });
    });

    it('does not suppress again, nor log again, once the third has suppressed', async () => {
      await receive(bounceOf('mail-1'));
      await receive(bounceOf('mail-2'));
      const third = anSnsMessage();
      await receive(bounceOf('mail-3'), third);

      const again = await receive(bounceOf('mail-3'), third);

      expect(again.suppressed).toEqual([]);
      expect(await logged()).toHaveLength(1);
    });

    it('does not count the third again once its suppression has lapsed', async () => {
      await receive(bounceOf('mail-1'));
      await receive(bounceOf('mail-2'));
      const third = anSnsMessage();
      await receive(bounceOf('mail-3'), third);
      laterBy(31);
      await receive(bounceOf('mail-4'));
      await receive(bounceOf('mail-5'));

      const late = await receive(bounceOf('mail-3'), third);

      expect(late.suppressed).toEqual([]);
      expect(await delivery.suppressions.isSuppressed('email', address, delivery.clock.now())).toBe(false);
    });
  });

  describe('when three soft bounces are spread over more than 30 days', () => {
    it('does not suppress the address', async () => {
      await receive(bounceOf('mail-1'));
      laterBy(20);
      await receive(bounceOf('mail-2'));
      laterBy(20);

      const third = await receive(bounceOf('mail-3'));

      expect(third.suppressed).toEqual([]);
      expect(await deliverNews()).toMatchObject({ outcome: 'sent' });
    });
  });

  describe('when SES cannot tell why the mail bounced (Undetermined)', () => {
    it('counts the bounce as a soft one', async () => {
      const to = 'unknown-state@example.com';
      await receive(bounceOf('mail-1', { to, type: 'Undetermined' }));
      await receive(bounceOf('mail-2', { to, type: 'Undetermined' }));

      const third = await receive(bounceOf('mail-3', { to, type: 'Undetermined' }));

      expect(third.suppressed).toEqual([to]);
      expect(await delivery.suppressions.find('email', to)).toMatchObject({
        reason: 'soft-bounce',
        detail: 'Undetermined',
      });
    });
  });

  describe('when an address suppressed for good soft-bounces', () => {
    it('keeps the suppression for good as it is', async () => {
      await receive(bounceOf('mail-0', { type: 'Permanent' }));

      for (const mailId of ['mail-1', 'mail-2', 'mail-3']) await receive(bounceOf(mailId));

      expect(await delivery.suppressions.find('email', address)).toMatchObject({ reason: 'bounce' });
      expect(await delivery.suppressions.find('email', address)).not.toHaveProperty('until');
      expect(await logged()).toHaveLength(1);
    });
  });
});
