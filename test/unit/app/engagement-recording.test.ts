import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { confirmSubscription } from '../../../lib/app/confirm-subscription.js';
import { ingestCall } from '../../../lib/app/ingest-events.js';
import { updatePreferences } from '../../../lib/app/manage-preferences.js';
import { recordEngagement } from '../../../lib/app/record-engagement.js';
import { type RecordSesFeedbackDeps, recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import { signUp } from '../../../lib/app/sign-up.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification, type SesNotification } from '../../../lib/domain/ses-notification.js';
import { issueToken, type TokenPurpose } from '../../../lib/domain/tokens.js';
import type { ContactStore } from '../../../lib/ports/contact-store.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { aWorld, deploymentFor, ingestDepsFor, signUpDepsFor } from './support/worlds.js';

/** The contact the SES fixtures are tagged with (`rapport-contact`). */
const taggedId = '01JD3UD5E7F9G1H3J5K7M9N1P3';
/** When the fixtures' open and click happened. */
const openedAt = '2026-11-23T09:00:19.652Z';
const clickedAt = '2026-11-23T09:01:25.570Z';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ses/${name}`, import.meta.url), 'utf8'));
const notification = (name: string, change: (raw: Record<string, unknown>) => void = () => {}) => {
  const raw = fixture(name);
  change(raw);
  return parseSesNotification(JSON.stringify(raw));
};
/** The fixture with the event's own time moved. */
const openAt = (timestamp: string): SesNotification =>
  notification('open.json', (raw) => {
    raw.open = { ...(raw.open ?? {}), timestamp };
  });

let world: MemoryWorld;
let sns = 0;

const feedbackDeps = (settings: Partial<RecordSesFeedbackDeps['settings']> = {}): RecordSesFeedbackDeps => ({
  suppressions: world.suppressions,
  softBounces: world.softBounces,
  contacts: world.contacts,
  stats: world.stats,
  ids: world.ids,
  clicks: world.clicks,
  sendingState: world.sendingState,
  settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds, ...settings },
});

const feedback = (event: SesNotification, settings: Partial<RecordSesFeedbackDeps['settings']> = {}) => {
  sns += 1;
  return recordSesFeedback(
    feedbackDeps(settings),
    event,
    { notificationId: `sns-${sns}` },
    world.clock.now(),
  );
};

const stored = async (contactId: string): Promise<Contact> => {
  const contact = await world.contacts.get(contactId);
  if (contact === undefined) throw new Error(`no contact ${contactId}`);
  return contact;
};

const addTagged = async (overrides: Partial<Contact> = {}): Promise<Contact> => {
  const contact = aSubscribedContact({ id: taggedId, email: 'reader@example.com', ...overrides });
  await world.contacts.create(aSignup(contact));
  return contact;
};

beforeEach(() => {
  world = aWorld('2026-11-23T12:00:00.000Z');
});

describe('when SES reports an open', () => {
  it('records it at the time of the open, not when the report arrived', async () => {
    await addTagged();
    await feedback(notification('open.json'));
    expect((await stored(taggedId)).lastEngagedAt).toBe(openedAt);
  });

  it('records nothing when the deployment does not count opens', async () => {
    await addTagged();
    await feedback(notification('open.json'), { engagementCountsOpens: false });
    expect((await stored(taggedId)).lastEngagedAt).toBeUndefined();
  });

  it('dates it by the send when the notification carries no open time', async () => {
    await addTagged();
    await feedback(
      notification('open.json', (raw) => {
        delete raw.open;
      }),
    );
    expect((await stored(taggedId)).lastEngagedAt).toBe('2026-11-23T08:20:50.645Z');
  });

  it('does not rewrite the profile for opens within the hour after the recorded one', async () => {
    await addTagged();
    await feedback(openAt('2026-11-23T09:00:00.000Z'));
    const first = await stored(taggedId);

    await feedback(openAt('2026-11-23T09:40:00.000Z'));
    await feedback(openAt('2026-11-23T10:00:00.000Z'));
    expect(await stored(taggedId)).toEqual(first);

    await feedback(openAt('2026-11-23T10:00:00.001Z'));
    const later = await stored(taggedId);
    expect(later.lastEngagedAt).toBe('2026-11-23T10:00:00.001Z');
    expect(later.version).toBe(first.version + 1);
  });

  it('never moves the date back for an open reported late', async () => {
    await addTagged({ lastEngagedAt: '2026-11-23T11:00:00.000Z', version: 3 });
    await feedback(openAt('2026-11-20T09:00:00.000Z'));
    const after = await stored(taggedId);
    expect(after.lastEngagedAt).toBe('2026-11-23T11:00:00.000Z');
    expect(after.version).toBe(3);
  });

  it('does nothing for a contact that is not there (erased since the mail went out)', async () => {
    const summary = await feedback(notification('open.json'));
    expect(summary.counted).toEqual(['email/open', 'journey:welcome/open']);
    expect(await world.contacts.get(taggedId)).toBeUndefined();
  });
});

describe('when SES reports a click', () => {
  it('records it at the time of the click', async () => {
    await addTagged({ lastEngagedAt: '2026-01-01T00:00:00.000Z' });
    await feedback(notification('click.json'));
    expect((await stored(taggedId)).lastEngagedAt).toBe(clickedAt);
  });

  it('records it whether or not opens count', async () => {
    await addTagged();
    await feedback(notification('click.json'), { engagementCountsOpens: false });
    expect((await stored(taggedId)).lastEngagedAt).toBe(clickedAt);
  });
});

describe('when another write changes the profile between the read and the write', () => {
  it('reads it again and keeps the other change', async () => {
    const contact = await addTagged();
    let raced = false;
    const racing: Pick<ContactStore, 'get' | 'update'> = {
      get: (id) => world.contacts.get(id),
      update: async (change) => {
        if (!raced) {
          raced = true;
          // Someone else's write lands first: a journey setting an attribute.
          await world.contacts.update({
            contact: { ...contact, attributes: { tier: 'gold' }, version: contact.version + 1 },
            expectedVersion: contact.version,
            consent: [],
            events: [],
            messages: [],
          });
        }
        await world.contacts.update(change);
      },
    };
    expect(await recordEngagement({ contacts: racing }, taggedId, clickedAt, world.clock.now())).toBe(
      'recorded',
    );
    const after = await stored(taggedId);
    expect(after).toMatchObject({ lastEngagedAt: clickedAt, attributes: { tier: 'gold' } });
    expect(after.version).toBe(contact.version + 2);
  });

  it('gives up after a few conflicts, so the notification is retried', async () => {
    await addTagged();
    const conflicting: Pick<ContactStore, 'get' | 'update'> = {
      get: (id) => world.contacts.get(id),
      update: async () => {
        throw new ConcurrentUpdateError('the profile changed');
      },
    };
    await expect(
      recordEngagement({ contacts: conflicting }, taggedId, clickedAt, world.clock.now()),
    ).rejects.toThrow(ConcurrentUpdateError);
  });
});

describe('when the contact orders', () => {
  const order = (messageId: string, timestamp: string) => ({
    type: 'track',
    event: 'Order Completed',
    email: 'reader@example.com',
    messageId,
    timestamp,
    properties: { order_id: messageId, revenue: 20, products: [{ sku: 'BOOK-1', price: 20 }] },
  });

  it('records the order’s time in the same write as the card', async () => {
    await addTagged({ lastEngagedAt: '2026-01-01T00:00:00.000Z' });
    await ingestCall(ingestDepsFor(world), order('o-1', '2026-11-22T18:00:00.000Z'), 'api');
    const after = await stored(taggedId);
    expect(after.lastEngagedAt).toBe('2026-11-22T18:00:00.000Z');
    expect(after.customer?.orders).toBe(1);
    expect(after.version).toBe(2);
  });

  it('keeps a later engagement when an older order arrives from a backlog', async () => {
    await addTagged({ lastEngagedAt: '2026-11-23T09:00:00.000Z' });
    await ingestCall(ingestDepsFor(world), order('o-old', '2026-06-01T10:00:00.000Z'), 'api');
    expect((await stored(taggedId)).lastEngagedAt).toBe('2026-11-23T09:00:00.000Z');
  });

  it('records a new customer’s first order on the profile it makes', async () => {
    await ingestCall(
      ingestDepsFor(world),
      { ...order('o-new', '2026-11-23T11:00:00.000Z'), email: 'new@example.com' },
      'api',
    );
    const id = await world.contacts.findIdByEmail('new@example.com');
    expect(id).toBeDefined();
    expect((await stored(id ?? '')).lastEngagedAt).toBe('2026-11-23T11:00:00.000Z');
  });
});

describe('when someone signs up and confirms', () => {
  const email = 'ann@example.com';
  const source = { ip: '192.0.2.1' };
  const linkFor = async (purpose: TokenPurpose) =>
    issueToken(deploymentFor(world).links.tokenKeys, {
      purpose,
      contactId: (await world.contacts.findIdByEmail(email)) ?? '',
      expiresAt: new Date(world.clock.now().getTime() + 86_400_000),
    });
  const annNow = async () => stored((await world.contacts.findIdByEmail(email)) ?? '');

  it('records the signup on the new profile, and the confirmation in the write that confirms it', async () => {
    await signUp(signUpDepsFor(world), { body: { email, consent: 'on', topics: 'newsletter' }, source });
    expect((await annNow()).lastEngagedAt).toBe('2026-11-23T12:00:00.000Z');

    world.clock.set('2026-11-24T08:00:00.000Z');
    await confirmSubscription(deploymentFor(world).links, { token: await linkFor('confirm'), source });
    const confirmed = await annNow();
    expect(confirmed).toMatchObject({
      lastEngagedAt: '2026-11-24T08:00:00.000Z',
      consent: { email: { status: 'subscribed' } },
    });
    expect(confirmed.version).toBe(2);
  });

  it('does not count a second signup of a known address: anyone can post one', async () => {
    await signUp(signUpDepsFor(world), { body: { email, consent: 'on', topics: 'newsletter' }, source });
    world.clock.set('2026-11-30T08:00:00.000Z');
    await signUp(signUpDepsFor(world), { body: { email, consent: 'on', topics: 'newsletter' }, source });
    expect((await annNow()).lastEngagedAt).toBe('2026-11-23T12:00:00.000Z');
  });
});

describe('when a subscriber saves the preference centre', () => {
  const preferences = () => ({ ...deploymentFor(world).links, topics: ['newsletter', 'offers'] });
  const token = () =>
    issueToken(deploymentFor(world).links.tokenKeys, {
      purpose: 'preferences',
      contactId: taggedId,
      expiresAt: new Date(world.clock.now().getTime() + 86_400_000),
    });
  const save = async (topics: string[]) =>
    updatePreferences(
      { ...preferences(), confirmationResendAfterMs: 600_000 },
      { token: await token(), form: { action: 'save', topics }, source: {} },
    );

  it('records it with the change of topics', async () => {
    await addTagged({ lastEngagedAt: '2026-01-01T00:00:00.000Z' });
    expect((await save(['newsletter', 'offers'])).outcome).toBe('saved');
    expect(await stored(taggedId)).toMatchObject({
      lastEngagedAt: '2026-11-23T12:00:00.000Z',
      topics: ['newsletter', 'offers'],
      version: 2,
    });
  });

  it('records it when the topics stay as they were', async () => {
    await addTagged({ lastEngagedAt: '2026-01-01T00:00:00.000Z' });
    const saved = await save(['newsletter']);
    expect(saved.outcome).toBe('unchanged');
    expect(saved.contact.lastEngagedAt).toBe('2026-11-23T12:00:00.000Z');
    expect((await stored(taggedId)).lastEngagedAt).toBe('2026-11-23T12:00:00.000Z');
  });

  it('does not count an unsubscribe as engagement', async () => {
    await addTagged({ lastEngagedAt: '2026-01-01T00:00:00.000Z' });
    await updatePreferences(
      { ...preferences(), confirmationResendAfterMs: 600_000 },
      { token: await token(), form: { action: 'unsubscribe-all' }, source: {} },
    );
    expect((await stored(taggedId)).lastEngagedAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
