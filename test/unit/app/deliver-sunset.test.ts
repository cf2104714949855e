import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import type { SunsetAfter } from '../../../lib/domain/engagement.js';
import { aMessage } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import {
  aDeliveryWorld,
  aJourneyMessage,
  anSmsMessage,
  aSubscribedContact,
  type DeliveryWorld,
} from './support/worlds.js';

/** The delivery worlds' clock. */
const now = '2026-11-23T12:00:00.000Z';
/** Engaged exactly a year before now: under the default P365D, the sunset falls now. */
const aYearAgo = '2025-11-23T12:00:00.000Z';

let world: DeliveryWorld;

const deliveryWorld = async (sunsetAfter?: SunsetAfter) => {
  world = await aDeliveryWorld({
    now,
    ...(sunsetAfter === undefined ? {} : { settings: { sunsetAfter } }),
  });
  await publishCompiled(
    world.world.templates,
    {
      id: 'confirm',
      kind: 'transactional',
      subject: 'Confirm',
      text: 'Confirm: {{ links.confirm }}',
      mjml: '<mj-text>Confirm</mj-text>',
    },
    world.clock.now(),
  );
};

const mailsTo = (address: string) => world.world.mailer.sentTo(address).length;

describe('the sunset policy at send time', () => {
  beforeEach(async () => {
    await deliveryWorld('P365D');
  });

  describe('when a subscriber has not engaged for the whole setting', () => {
    it('skips their marketing email as not-engaged, and tells the journey', async () => {
      const contact = aSubscribedContact({ lastEngagedAt: aYearAgo });
      const message = aJourneyMessage(contact.id, { enrollmentId: 'enrollment-1' });
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-engaged',
      });
      expect(mailsTo(contact.email)).toBe(0);
      expect(await world.outbox.get(contact.id, message.key)).toMatchObject({
        status: 'skipped',
        skipReason: 'not-engaged',
      });
      expect(world.world.eventsOf(contact.id)).toContainEqual(
        expect.objectContaining({
          type: 'message_skipped',
          data: expect.objectContaining({ enrollmentId: 'enrollment-1', reason: 'not-engaged' }),
        }),
      );
    });

    it('still sends them transactional mail', async () => {
      const contact = aSubscribedContact({ lastEngagedAt: aYearAgo });
      const message = aMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
      expect(mailsTo(contact.email)).toBe(1);
    });

    it('still sends them marketing SMS', async () => {
      const contact = aSubscribedContact({ lastEngagedAt: aYearAgo, phone: '+12065550199' });
      const message = anSmsMessage(contact.id);
      await world.add(contact, [message]);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
    });
  });

  it('sends marketing email to a subscriber who engaged within the setting', async () => {
    const contact = aSubscribedContact({ lastEngagedAt: '2025-11-23T12:00:00.001Z' });
    const message = aJourneyMessage(contact.id);
    await world.add(contact, [message]);

    expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
  });

  describe('when a profile was kept before engagement was recorded', () => {
    it('counts from the confirmation', async () => {
      const confirmedLongAgo = aSubscribedContact({
        consent: {
          email: { status: 'subscribed', changedAt: '2025-06-01T08:00:00.000Z' },
          sms: { status: 'none', changedAt: '2025-06-01T08:00:00.000Z' },
        },
      });
      const recent = aSubscribedContact();
      const lapsed = aJourneyMessage(confirmedLongAgo.id);
      const fresh = aJourneyMessage(recent.id);
      await world.add(confirmedLongAgo, [lapsed]);
      await world.add(recent, [fresh]);

      expect(await deliverMessage(world.deps, lapsed)).toEqual({ outcome: 'skipped', reason: 'not-engaged' });
      expect(await deliverMessage(world.deps, fresh)).toMatchObject({ outcome: 'sent' });
    });
  });

  it('names the missing consent rather than the sunset for someone who unsubscribed', async () => {
    const contact = aSubscribedContact({
      lastEngagedAt: aYearAgo,
      consent: {
        email: { status: 'unsubscribed', changedAt: aYearAgo },
        sms: { status: 'none', changedAt: aYearAgo },
      },
    });
    const message = aJourneyMessage(contact.id);
    await world.add(contact, [message]);

    expect(await deliverMessage(world.deps, message)).toEqual({
      outcome: 'skipped',
      reason: 'not-subscribed',
    });
  });
});

describe('when the sunset is off', () => {
  it('sends marketing email however long ago the contact engaged', async () => {
    await deliveryWorld('off');
    const contact = aSubscribedContact({ lastEngagedAt: '2020-01-01T00:00:00.000Z' });
    const message = aJourneyMessage(contact.id);
    await world.add(contact, [message]);

    expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
  });
});
