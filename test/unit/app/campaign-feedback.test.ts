import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import { unsubscribe } from '../../../lib/app/unsubscribe.js';
import { campaignMessageKey } from '../../../lib/domain/campaign.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { Message } from '../../../lib/domain/message.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification, type SesNotification } from '../../../lib/domain/ses-notification.js';
import { metricKey, statsScope } from '../../../lib/domain/stats-keys.js';
import { aJourneyMessage, aSubscribedContact } from '../../support/builders.js';
import { springSale } from './support/campaigns.js';
import { aDeliveryWorld, type DeliveryWorld, deploymentFor, ingestDepsFor } from './support/worlds.js';

const spring = springSale();

const now = '2026-11-23T12:00:00.000Z';
const day = '2026-11-23';

/** The campaign's message to a contact, as the launch queues it for the variant it drew. */
const campaignMessage = (contactId: string, variant: string): Message => ({
  ...aJourneyMessage(contactId),
  key: campaignMessageKey(spring.id),
  campaignId: spring.id,
  variant,
  journeyId: undefined,
  nodeId: undefined,
});

/** An SES event of the fixture's kind about the email the mailer took, carrying its tags as SES does. */
const sesEvent = (fixture: string, tags: Record<string, string>): SesNotification => {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/ses', fixture), 'utf8'));
  raw.mail.tags = {
    'ses:configuration-set': ['rapport'],
    ...Object.fromEntries(Object.entries(tags).map(([name, value]) => [name, [value]])),
  };
  return parseSesNotification(JSON.stringify(raw));
};

const unsubscribeLinkIn = (text: string): string => {
  const link = /(http:\/\/rapport\.test\/v1\/unsubscribe\?token=[^\s"]+)/.exec(text)?.[1];
  if (link === undefined) throw new Error(`no unsubscribe link in ${text}`);
  return decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
};

let delivery: DeliveryWorld;
let ann: Contact;

/** Sends the message to Ann and answers the tags SES was given with it. */
const sendToAnn = async (message: Message) => {
  await delivery.add(ann, [message]);
  const outcome = await deliverMessage(delivery.deps, { contactId: ann.id, key: message.key });
  expect(outcome).toMatchObject({ outcome: 'sent' });
  const sent = delivery.world.mailer.sentTo(ann.email).at(-1);
  if (sent === undefined) throw new Error('nothing was sent');
  return sent.email;
};

/** Every notification SNS hands over has a MessageId of its own. */
let notifications = 0;
const anSnsMessage = () => {
  notifications += 1;
  return { notificationId: `sns-message-${notifications}` };
};

const feedbackDeps = () => ({
  suppressions: delivery.world.suppressions,
  softBounces: delivery.world.softBounces,
  contacts: delivery.world.contacts,
  stats: delivery.world.stats,
  ids: delivery.world.ids,
  clicks: delivery.world.clicks,
  sendingState: delivery.world.sendingState,
  settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds },
});

const counters = (scope: string) => delivery.world.stats.read(scope, day);

beforeEach(async () => {
  delivery = await aDeliveryWorld({ now });
  const saved = await delivery.world.campaigns.put(spring, delivery.clock.now());
  await delivery.world.campaigns.update(
    spring.id,
    { status: 'sending' },
    delivery.clock.now(),
    saved.version,
  );
  ann = aSubscribedContact({
    acquisition: { form: 'newsletter', utm: { medium: 'social' }, at: '2026-10-01T08:00:00.000Z' },
  });
});

describe('when SES reports on a campaign’s mail', () => {
  it('counts each event under the campaign and under the variant the contact got', async () => {
    const email = await sendToAnn(campaignMessage(ann.id, 'b'));

    for (const fixture of ['delivery.json', 'open.json', 'click.json', 'open.json'])
      await recordSesFeedback(
        feedbackDeps(),
        sesEvent(fixture, email.tags),
        anSnsMessage(),
        delivery.clock.now(),
      );

    const expected = { delivery: 1, open: 2, click: 1 };
    expect(await counters(statsScope.campaign('spring'))).toMatchObject(expected);
    expect(await counters(statsScope.campaignVariant('spring', 'b'))).toMatchObject(expected);
    expect(await counters(statsScope.campaignVariant('spring', 'a'))).toEqual({});
    expect(await counters(statsScope.email)).toEqual(expected);
  });

  it('counts a bounce and a complaint alike', async () => {
    const email = await sendToAnn(campaignMessage(ann.id, 'a'));

    await recordSesFeedback(
      feedbackDeps(),
      sesEvent('bounce-permanent.json', email.tags),
      anSnsMessage(),
      delivery.clock.now(),
    );
    await recordSesFeedback(
      feedbackDeps(),
      sesEvent('complaint.json', email.tags),
      anSnsMessage(),
      delivery.clock.now(),
    );

    expect(await counters(statsScope.campaignVariant('spring', 'a'))).toEqual({
      sent: 1,
      bounce: 1,
      complaint: 1,
    });
  });

  it('keeps a click on it with the campaign and variant, for attribution', async () => {
    const email = await sendToAnn(campaignMessage(ann.id, 'b'));

    await recordSesFeedback(
      feedbackDeps(),
      sesEvent('click.json', email.tags),
      anSnsMessage(),
      delivery.clock.now(),
    );

    expect(await delivery.world.clicks.since(ann.id, '2026-01-01T00:00:00.000Z')).toEqual([
      expect.objectContaining({
        messageId: campaignMessageKey('spring'),
        campaignId: 'spring',
        variant: 'b',
      }),
    ]);
  });

  it('counts nothing under any campaign for a journey’s mail', async () => {
    const email = await sendToAnn(aJourneyMessage(ann.id));

    await recordSesFeedback(
      feedbackDeps(),
      sesEvent('delivery.json', email.tags),
      anSnsMessage(),
      delivery.clock.now(),
    );

    expect(email.tags).not.toHaveProperty('rapport-campaign');
    expect(await counters(statsScope.campaign('spring'))).toEqual({});
    expect(await counters(statsScope.journey('welcome'))).toMatchObject({ delivery: 1 });
  });
});

describe('when a recipient unsubscribes through the link in a campaign’s mail', () => {
  const unsubscribed = metricKey({ kind: 'unsubscribed' });
  const source = { ip: '192.0.2.1' };

  it('counts them once under the campaign and the variant, however often the link is posted', async () => {
    const email = await sendToAnn(campaignMessage(ann.id, 'a'));
    const token = unsubscribeLinkIn(email.text);
    const { links } = deploymentFor(delivery.world);

    await unsubscribe(links, { token, source });
    await unsubscribe(links, { token, source });

    expect((await delivery.contacts.get(ann.id))?.consent.email.status).toBe('unsubscribed');
    expect(await counters(statsScope.campaign('spring'))).toEqual({ [unsubscribed]: 1, sent: 1 });
    expect(await counters(statsScope.campaignVariant('spring', 'a'))).toEqual({ [unsubscribed]: 1, sent: 1 });
  });

  it('counts nothing for a campaign when the link came in a journey’s mail', async () => {
    const email = await sendToAnn(aJourneyMessage(ann.id));

    await unsubscribe(deploymentFor(delivery.world).links, { token: unsubscribeLinkIn(email.text), source });

    expect((await delivery.contacts.get(ann.id))?.consent.email.status).toBe('unsubscribed');
    expect(await counters(statsScope.campaign('spring'))).toEqual({});
  });
});

describe('when a click on a campaign’s mail leads to an order', () => {
  const order = (id: string, at: string, revenue: number) => ({
    type: 'track',
    event: 'Order Completed',
    email: ann.email,
    messageId: id,
    timestamp: at,
    properties: { order_id: id, revenue, products: [{ sku: 'BOOK-1', category: 'books', price: revenue }] },
  });
  let ingest: IngestDeps;

  beforeEach(async () => {
    const email = await sendToAnn(campaignMessage(ann.id, 'b'));
    await recordSesFeedback(
      feedbackDeps(),
      sesEvent('click.json', email.tags),
      anSnsMessage(),
      delivery.clock.now(),
    );
    ingest = ingestDepsFor(delivery.world);
  });

  it('credits the campaign and the variant, in total and by the customer’s acquisition medium, in minor units', async () => {
    // The fixture's click is at 2026-11-23T09:01:25Z; the order follows it.
    const outcome = await ingestCall(ingest, order('o-1', '2026-11-23T10:00:00Z', 49.9), 'api');
    await ingestCall(ingest, order('o-1', '2026-11-23T10:00:00Z', 49.9), 'api');

    expect(outcome).toMatchObject({ status: 'accepted' });
    const expected = {
      'attributed:orders': 1,
      'attributed:revenue-minor': 4990,
      'attributed:orders:medium:social': 1,
      'attributed:revenue-minor:medium:social': 4990,
    };
    expect(await counters(statsScope.campaign('spring'))).toMatchObject(expected);
    expect(await counters(statsScope.campaignVariant('spring', 'b'))).toMatchObject(expected);
  });

  it('keeps the campaign and variant on the order', async () => {
    await ingestCall(ingest, order('o-2', '2026-11-23T10:00:00Z', 10), 'api');

    const [stored] = await delivery.world.orders.placedOn(day);
    expect(stored?.source).toMatchObject({ campaignId: 'spring', variant: 'b' });
  });
});
