import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryClickLog } from '../../../lib/adapters/memory/memory-click-log.js';
import type { MemoryStatsStore } from '../../../lib/adapters/memory/memory-stats-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { journeyReportOf } from '../../../lib/app/journey-report.js';
import { publishJourney, putJourneyDraft } from '../../../lib/app/manage-journeys.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification } from '../../../lib/domain/ses-notification.js';
import { aContact, aMessage, aSignup } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { adminStoresFor, aWorld, ingestDepsFor } from './support/worlds.js';

const click = parseSesNotification(
  readFileSync(join(import.meta.dirname, '../../fixtures/ses/click.json'), 'utf8'),
);
const contactId = '01JD3UD5E7F9G1H3J5K7M9N1P3';
const clickedKey = '01JD3UD5E8ENROLLMENT0000000_intro_1';
/** How the clicker came: a signup from an Instagram campaign. */
const acquisition = {
  form: 'newsletter',
  utm: { source: 'instagram', medium: 'social', campaign: 'autumn' },
  at: '2026-10-01T08:00:00.000Z',
};

let deps: IngestDeps;
let stats: MemoryStatsStore;
let clicks: MemoryClickLog;
let clock: VirtualClock;
let world: MemoryWorld;

beforeEach(async () => {
  world = aWorld('2026-11-20T10:00:00Z');
  clock = world.clock;
  stats = world.stats;
  clicks = world.clicks;
  const contacts = world.contacts;
  // The message the click in the fixture was on: the welcome journey's `intro` node.
  const clicked = aMessage(contactId, {
    key: clickedKey,
    kind: 'marketing',
    templateId: 'welcome-mail',
    journeyId: 'welcome',
    nodeId: 'intro',
    status: 'sent',
  });
  await contacts.create(
    aSignup(aContact({ id: contactId, email: 'clicker@example.com', acquisition }), [clicked]),
  );
  deps = ingestDepsFor(world);
  await recordSesFeedback(
    {
      suppressions: world.suppressions,
      softBounces: world.softBounces,
      contacts,
      stats,
      ids: world.ids,
      clicks,
      sendingState: world.sendingState,
      settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds },
    },
    click,
    { notificationId: 'sns-click-1' },
    clock.now(),
  );
});

const order = (messageId: string, at: string) => ({
  type: 'track',
  event: 'Order Completed',
  email: 'clicker@example.com',
  messageId,
  timestamp: at,
  properties: {
    order_id: messageId,
    revenue: 49.9,
    products: [{ sku: 'BOOK-1', category: 'books', price: 49.9 }],
  },
});

describe('when a purchase follows a click on a journey’s mail', () => {
  it('credits it to that message and journey within the window from the click, not before the click nor after the window', async () => {
    // The shop reports the orders a week later, as a nightly export would.
    clock.set('2026-12-01T00:00:00Z');
    await ingestCall(deps, order('o-in', '2026-11-25T10:00:00Z'), 'api');
    await ingestCall(deps, order('o-before', '2026-11-23T09:00:00Z'), 'api');
    await ingestCall(deps, order('o-late', '2026-11-30T09:01:26Z'), 'api');
    expect(await stats.read('journey:welcome', '2026-11-25')).toEqual({
      'attributed:orders': 1,
      'attributed:revenue-minor': 4990,
    });
    expect(await stats.read('journey:welcome', '2026-11-23')).toEqual({});
    expect(await stats.read('journey:welcome', '2026-11-30')).toEqual({});
  });

  it('records a click once however often SNS delivers it', async () => {
    expect(await clicks.since(contactId, '2026-11-01T00:00:00Z')).toHaveLength(1);
  });
});

const storedEvent = async (eventId: string) =>
  world.eventsOf(contactId).find((event) => event.id === eventId);

describe('what an order keeps of where it came from', () => {
  it('keeps the signup’s UTM tags and the last click’s message, journey, node and template, on the order and its event', async () => {
    clock.set('2026-11-25T12:00:00Z');
    const outcome = await ingestCall(deps, order('o-click', '2026-11-25T10:00:00Z'), 'api');
    if (outcome.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);

    const lastClick = {
      messageId: clickedKey,
      journeyId: 'welcome',
      nodeId: 'intro',
      templateId: 'welcome-mail',
      clickedAt: '2026-11-23T09:01:25.570Z',
    };
    expect((await deps.store.order(contactId, 'o-click'))?.source).toEqual({
      channel: 'api',
      ...lastClick,
      acquisition,
    });
    expect((await storedEvent(outcome.eventId))?.data).toMatchObject({
      orderId: 'o-click',
      attribution: { orderId: 'o-click', lastClick, acquisition, windowDays: 7 },
    });
  });

  it('keeps the acquisition and no click when no click led to the order', async () => {
    clock.set('2026-12-05T12:00:00Z');
    const outcome = await ingestCall(deps, order('o-later', '2026-12-05T10:00:00Z'), 'api');
    if (outcome.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);

    expect((await deps.store.order(contactId, 'o-later'))?.source).toEqual({ channel: 'api', acquisition });
    expect((await storedEvent(outcome.eventId))?.data).toEqual(
      expect.objectContaining({ attribution: { orderId: 'o-later', acquisition, windowDays: 7 } }),
    );
  });
});

describe('the journey report', () => {
  it('adds up the days and compares the treatment’s members with the holdout’s, enrollments apart', async () => {
    const admin = { ...adminStoresFor(aWorld()), clock };
    await publishCompiled(
      admin.templates,
      { id: 'welcome', kind: 'marketing', subject: 'Hi', text: 'Hello', mjml: '<mj-text>Hello</mj-text>' },
      clock.now(),
    );
    await putJourneyDraft(admin, 'welcome', {
      id: 'welcome',
      name: 'Welcome',
      trigger: { event: 'signup_confirmed' },
      holdout: 10,
      start: 'hi',
      nodes: [{ id: 'hi', type: 'send_email', template: 'welcome' }],
    });
    await publishJourney(admin, 'welcome');
    // Members and their conversions by the day they joined; enrollments and theirs by the day they happened.
    const counts: Array<[string, string, number]> = [
      ['2026-11-19', 'members:treatment', 600],
      ['2026-11-20', 'members:treatment', 400],
      ['2026-11-19', 'members:control', 100],
      ['2026-11-19', 'converted:treatment', 70],
      ['2026-11-20', 'converted:treatment', 50],
      ['2026-11-19', 'converted:control', 8],
      ['2026-11-19', 'converted-revenue-minor:treatment', 350_000],
      ['2026-11-20', 'converted-revenue-minor:treatment', 250_000],
      ['2026-11-19', 'converted-revenue-minor:control', 40_000],
      ['2026-11-19', 'entered:treatment', 700],
      ['2026-11-20', 'entered:treatment', 450],
      ['2026-11-19', 'entered:control', 110],
      ['2026-11-20', 'goal:treatment', 131],
      ['2026-11-20', 'goal:control', 9],
      ['2026-11-20', 'goal-revenue-minor:treatment', 700_000],
      ['2026-11-20', 'goal-revenue-minor:control', 45_000],
    ];
    for (const [day, metric, by] of counts) await admin.stats.increment('journey:welcome', day, metric, by);
    const report = await journeyReportOf(admin, 'welcome', { from: '2026-11-19', to: '2026-11-20' }, 'EUR');
    expect(report.holdout.treatment).toMatchObject({
      members: 1000,
      conversions: 120,
      revenue: 6000,
      conversionRate: 0.12,
    });
    expect(report.holdout.control).toMatchObject({
      members: 100,
      conversions: 8,
      revenue: 400,
      conversionRate: 0.08,
    });
    expect(report.enrollments).toEqual({
      treatment: { entered: 1150, converted: 131 },
      control: { entered: 110, converted: 9 },
    });
    expect(report.holdout.lift.absolute).toBeCloseTo(0.04, 10);
    expect(report.holdout.revenuePerMemberDifference).toBeCloseTo(2, 10);
  });
});
