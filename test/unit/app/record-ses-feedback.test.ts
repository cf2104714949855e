import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { type RecordSesFeedbackDeps, recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification, type SesNotification } from '../../../lib/domain/ses-notification.js';
import type { ContactStore } from '../../../lib/ports/contact-store.js';
import type { StatsStore } from '../../../lib/ports/stats-store.js';
import type { Suppression, SuppressionStore } from '../../../lib/ports/suppression-store.js';
import { aWorld } from './support/worlds.js';

const notification = (fixture: string): SesNotification =>
  parseSesNotification(readFileSync(new URL(`../../fixtures/ses/${fixture}`, import.meta.url), 'utf8'));

/** Each SNS notification has its own MessageId; a redelivery of it keeps the same one. */
let notifications = 0;
const anSnsMessage = (): { notificationId: string } => {
  notifications += 1;
  return { notificationId: `sns-message-${notifications}` };
};

/** 23:30 in New York is already the next day in UTC, where the counters live. */
const now = new Date('2026-11-23T23:30:00-05:00');
const utcDay = '2026-11-24';

interface World {
  deps: RecordSesFeedbackDeps;
  stats: StatsStore;
  contacts: ContactStore;
  suppressions: SuppressionStore;
  /** Every suppression the use case wrote, as it wrote it. */
  written: Suppression[];
  addContact(email: string, topics: string[]): Promise<Contact>;
}

const createWorld = async (): Promise<World> => {
  const world = aWorld(now.toISOString());
  const { ids, contacts, suppressions } = world;
  const written: Suppression[] = [];
  const recordingSuppressions: SuppressionStore = {
    isSuppressed: (channel, address, at) => suppressions.isSuppressed(channel, address, at),
    find: (channel, address) => suppressions.find(channel, address),
    suppressForErasure: (channel, address, at) => suppressions.suppressForErasure(channel, address, at),
    suppress: async (suppression) => {
      written.push(suppression);
      await suppressions.suppress(suppression);
    },
  };
  const addContact = async (email: string, topics: string[]): Promise<Contact> => {
    const at = '2026-10-01T08:00:00.000Z';
    const contact: Contact = {
      id: ids.next(),
      email,
      consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
      topics,
      pendingTopics: [],
      attributes: {},
      acquisition: { form: 'newsletter', at },
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await contacts.create({
      contact,
      consent: {
        id: ids.next(),
        contactId: contact.id,
        at,
        channel: 'email',
        action: 'confirmed',
        topics,
        source: { kind: 'confirmation-page' },
      },
      messages: [],
    });
    return contact;
  };
  return {
    deps: {
      suppressions: recordingSuppressions,
      softBounces: world.softBounces,
      contacts,
      stats: world.stats,
      ids,
      clicks: world.clicks,
      sendingState: world.sendingState,
      settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds },
    },
    stats: world.stats,
    contacts,
    suppressions,
    written,
    addContact,
  };
};

const suppressionsLogged = async (world: World, contactId: string) =>
  (await world.contacts.consentLog(contactId)).filter((entry) => entry.action === 'suppressed');

describe('recordSesFeedback', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });

  describe('when a known contact bounces permanently', () => {
    it('suppresses the normalized address with the bounce details', async () => {
      await world.addContact('bounce@example.com', ['newsletter']);

      const summary = await recordSesFeedback(
        world.deps,
        notification('bounce-permanent.json'),
        anSnsMessage(),
        now,
      );

      expect(summary).toEqual({
        eventType: 'Bounce',
        pausedMarketing: false,
        suppressed: ['bounce@example.com'],
        counted: ['email/bounce'],
      });
      expect(await world.suppressions.isSuppressed('email', 'bounce@example.com', now)).toBe(true);
      expect(world.written).toEqual([
        {
          channel: 'email',
          address: 'bounce@example.com',
          reason: 'bounce',
          detail: 'General: smtp; 550 5.1.1 user unknown',
          at: now.toISOString(),
        },
      ]);
    });

    it('logs the suppression on the contact once, even when the notification arrives twice', async () => {
      const contact = await world.addContact('bounce@example.com', ['newsletter', 'new-books']);

      const sns = anSnsMessage();
      await recordSesFeedback(world.deps, notification('bounce-permanent.json'), sns, now);
      const again = await recordSesFeedback(world.deps, notification('bounce-permanent.json'), sns, now);

      expect(again.suppressed).toEqual([]);
      expect(await suppressionsLogged(world, contact.id)).toEqual([
        {
          id: expect.any(String),
          contactId: contact.id,
          at: now.toISOString(),
          channel: 'email',
          action: 'suppressed',
          topics: ['newsletter', 'new-books'],
          source: { kind: 'ses-feedback' },
          reason: 'bounce',
        },
      ]);
      expect((await world.contacts.get(contact.id))?.version).toBe(2);
    });

    it('still logs it when another write to the contact gets in first', async () => {
      const contact = await world.addContact('bounce@example.com', ['newsletter']);
      let interfered = false;
      const racingContacts: ContactStore = {
        findIdByEmail: (email) => world.contacts.findIdByEmail(email),
        get: (contactId) => world.contacts.get(contactId),
        create: (change) => world.contacts.create(change),
        page: (cursor, limit) => world.contacts.page(cursor, limit),
        listPage: (from, limit) => world.contacts.listPage(from, limit),
        consentLog: (contactId) => world.contacts.consentLog(contactId),
        update: async (change) => {
          if (!interfered) {
            interfered = true;
            const stored = await world.contacts.get(change.contact.id);
            if (stored === undefined) throw new Error('the contact vanished');
            await world.contacts.update({
              contact: { ...stored, name: 'Changed Meanwhile', version: stored.version + 1 },
              expectedVersion: stored.version,
              consent: [],
              events: [],
              messages: [],
            });
          }
          await world.contacts.update(change);
        },
      };

      await recordSesFeedback(
        { ...world.deps, contacts: racingContacts },
        notification('bounce-permanent.json'),
        anSnsMessage(),
        now,
      );

      expect(await suppressionsLogged(world, contact.id)).toHaveLength(1);
      const stored = await world.contacts.get(contact.id);
      expect(stored).toMatchObject({ name: 'Changed Meanwhile', version: 3 });
    });
  });

  describe('when an address nobody holds bounces permanently (identity notification form)', () => {
    it('suppresses it all the same', async () => {
      const summary = await recordSesFeedback(
        world.deps,
        notification('identity-bounce.json'),
        anSnsMessage(),
        now,
      );

      expect(summary.suppressed).toEqual(['old-address@example.com']);
      expect(await world.suppressions.isSuppressed('email', 'old-address@example.com', now)).toBe(true);
    });
  });

  describe.each([
    ['a transient bounce (mailbox full)', 'bounce-transient.json', 'full@example.com'],
    ['an undetermined bounce', 'bounce-undetermined.json', 'unknown-state@example.com'],
  ])('when %s arrives', (_, fixture, address) => {
    it('suppresses nothing and logs nothing, but counts the bounce', async () => {
      const contact = await world.addContact(address, ['newsletter']);

      const summary = await recordSesFeedback(world.deps, notification(fixture), anSnsMessage(), now);

      expect(summary.suppressed).toEqual([]);
      expect(await world.suppressions.isSuppressed('email', address, now)).toBe(false);
      expect(world.written).toEqual([]);
      expect(await suppressionsLogged(world, contact.id)).toEqual([]);
      expect(await world.stats.read('email', utcDay)).toEqual({ bounce: 1 });
    });
  });

  describe('when a contact complains', () => {
    it('suppresses the address, logs it as a complaint and counts it for the journey too', async () => {
      const contact = await world.addContact('complaint@example.com', ['product-updates']);

      const summary = await recordSesFeedback(
        world.deps,
        notification('complaint.json'),
        anSnsMessage(),
        now,
      );

      expect(summary).toEqual({
        eventType: 'Complaint',
        pausedMarketing: false,
        suppressed: ['complaint@example.com'],
        counted: ['email/complaint', 'journey:replacement-cycle/complaint'],
      });
      expect(await world.suppressions.isSuppressed('email', 'complaint@example.com', now)).toBe(true);
      expect(world.written).toMatchObject([{ reason: 'complaint', detail: 'abuse' }]);
      expect(await suppressionsLogged(world, contact.id)).toMatchObject([
        { reason: 'complaint', topics: ['product-updates'], source: { kind: 'ses-feedback' } },
      ]);
      expect(await world.stats.read('journey:replacement-cycle', utcDay)).toEqual({ complaint: 1 });
    });
  });

  describe('when journey mail is sent, delivered, opened and clicked', () => {
    it('counts each event for email and for the journey on the UTC day, and suppresses nothing', async () => {
      for (const fixture of ['send.json', 'delivery.json', 'open.json', 'open.json', 'click.json']) {
        const summary = await recordSesFeedback(world.deps, notification(fixture), anSnsMessage(), now);
        expect(summary.suppressed).toEqual([]);
      }

      const expected = { send: 1, delivery: 1, open: 2, click: 1 };
      expect(await world.stats.read('email', utcDay)).toEqual(expected);
      expect(await world.stats.read('journey:welcome', utcDay)).toEqual(expected);
      expect(await world.stats.read('email', '2026-11-23')).toEqual({});
      expect(world.written).toEqual([]);
    });
  });

  describe('when SNS delivers the same notification again', () => {
    it('counts it once, and says the redelivery counted nothing', async () => {
      const sns = anSnsMessage();

      const first = await recordSesFeedback(world.deps, notification('complaint.json'), sns, now);
      const again = await recordSesFeedback(world.deps, notification('complaint.json'), sns, now);

      expect(first.counted).toEqual(['email/complaint', 'journey:replacement-cycle/complaint']);
      expect(again.counted).toEqual([]);
      expect(await world.stats.read('email', utcDay)).toEqual({ complaint: 1 });
      expect(await world.stats.read('journey:replacement-cycle', utcDay)).toEqual({ complaint: 1 });
    });

    it('counts it once when both deliveries are handled at the same time', async () => {
      const sns = anSnsMessage();

      await Promise.all(
        Array.from({ length: 3 }, () => recordSesFeedback(world.deps, notification('open.json'), sns, now)),
      );

      expect(await world.stats.read('email', utcDay)).toEqual({ open: 1 });
      expect(await world.stats.read('journey:welcome', utcDay)).toEqual({ open: 1 });
    });

    it('counts a redelivery the next day on the day it was first counted, and only there', async () => {
      const sns = anSnsMessage();
      await recordSesFeedback(world.deps, notification('delivery.json'), sns, now);

      const nextDay = new Date(now.getTime() + 86_400_000);
      await recordSesFeedback(world.deps, notification('delivery.json'), sns, nextDay);

      expect(await world.stats.read('email', utcDay)).toEqual({ delivery: 1 });
      expect(await world.stats.read('email', '2026-11-25')).toEqual({});
    });
  });

  describe('when mail that is not journey mail bounces', () => {
    it('counts it for email only', async () => {
      const summary = await recordSesFeedback(
        world.deps,
        notification('bounce-permanent.json'),
        anSnsMessage(),
        now,
      );

      expect(summary.counted).toEqual(['email/bounce']);
    });
  });

  it.each([
    ['reject.json', 'post-purchase', 'reject'],
    ['delivery-delay.json', 'win-back', 'delivery-delay'],
    ['rendering-failure.json', 'welcome', 'rendering-failure'],
  ])('counts %s under its kebab-case metric', async (fixture, journeyId, metric) => {
    await recordSesFeedback(world.deps, notification(fixture), anSnsMessage(), now);

    expect(await world.stats.read('email', utcDay)).toEqual({ [metric]: 1 });
    expect(await world.stats.read(`journey:${journeyId}`, utcDay)).toEqual({ [metric]: 1 });
    expect(world.written).toEqual([]);
  });
});
