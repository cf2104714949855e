import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type OverviewDeps, overviewReport } from '../../../lib/app/overview-report.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { Overview } from '../../../lib/domain/overview.js';
import { metricKey, type StatsMetric, statsScope } from '../../../lib/domain/stats-keys.js';
import { springSale } from './support/campaigns.js';
import { aWorld } from './support/worlds.js';

const today = '2026-11-23';
const yesterday = '2026-11-22';
let world: MemoryWorld;
let deps: OverviewDeps;

const sent: StatsMetric = { kind: 'delivery', delivery: { outcome: 'sent' } };
const orders: StatsMetric = { kind: 'attributed', metric: 'orders' };
const revenue: StatsMetric = { kind: 'attributed', metric: 'revenue-minor' };

const count = (scope: string, day: string, metric: StatsMetric, by = 1) =>
  world.stats.increment(scope, day, metricKey(metric), by);

const publishJourney = (id: string) =>
  world.journeys.publish(
    JourneyDefinition.parse({
      id,
      name: `Journey ${id}`,
      trigger: { event: 'signup_confirmed' },
      start: 'hello',
      nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
    }),
    world.clock.now(),
  );

const launchCampaign = async (id: string) => {
  const saved = await world.campaigns.put(springSale({ id, name: `Campaign ${id}` }), world.clock.now());
  await world.campaigns.update(
    id,
    { status: 'sending', launchedAt: `${yesterday}T09:00:00.000Z` },
    world.clock.now(),
    saved.version,
  );
};

const dayOf = (overview: Overview, day: string) => overview.days.find((one) => one.day === day);

beforeEach(() => {
  world = aWorld(`${today}T12:00:00.000Z`);
  deps = {
    journeys: world.journeys,
    campaigns: world.campaigns,
    stats: world.stats,
    sending: world.sendingState,
    clock: world.clock,
    currency: 'EUR',
  };
});

describe('the overview', () => {
  it('answers the last 30 UTC days by default, oldest first, every day present', async () => {
    const overview = Overview.parse(await overviewReport(deps, {}));

    expect(overview.days).toHaveLength(30);
    expect(overview.from).toBe('2026-10-25');
    expect(overview.to).toBe(today);
    expect(overview.days[0]?.day).toBe('2026-10-25');
    expect(overview.days.at(-1)).toEqual({
      day: today,
      signups: 0,
      confirmations: 0,
      unsubscribes: 0,
      sends: 0,
      deliveries: 0,
      bounces: 0,
      complaints: 0,
      opens: 0,
      clicks: 0,
      bounceRate: null,
      complaintRate: null,
      orders: 0,
      revenue: 0,
    });
    expect(overview.currency).toBe('EUR');
  });

  it('sums each day over the audience, the email scope, and every journey and campaign', async () => {
    await publishJourney('welcome');
    await launchCampaign('spring');
    await count(statsScope.audience, today, { kind: 'audience', event: 'signup' }, 4);
    await count(statsScope.audience, today, { kind: 'audience', event: 'confirmation' }, 3);
    await count(statsScope.audience, yesterday, { kind: 'audience', event: 'unsubscribe' }, 2);
    for (const [event, by] of [
      ['send', 25],
      ['delivery', 20],
      ['bounce', 2],
      ['complaint', 1],
      ['open', 9],
      ['click', 5],
    ] as const)
      await count(statsScope.email, today, { kind: 'ses', event }, by);
    await count(statsScope.transactional, today, sent, 3);
    await count(statsScope.journey('welcome'), today, sent, 7);
    await count(statsScope.campaign('spring'), today, sent, 12);
    // A variant's counters repeat the campaign's: they must not count twice.
    await count(statsScope.campaignVariant('spring', 'a'), today, sent, 12);
    await count(statsScope.journey('welcome'), today, orders, 1);
    await count(statsScope.journey('welcome'), today, revenue, 1999);
    await count(statsScope.campaign('spring'), today, orders, 2);
    await count(statsScope.campaign('spring'), today, revenue, 5001);

    const overview = await overviewReport(deps, { days: '30' });

    expect(dayOf(overview, today)).toEqual({
      day: today,
      signups: 4,
      confirmations: 3,
      unsubscribes: 0,
      sends: 22,
      deliveries: 20,
      bounces: 2,
      complaints: 1,
      opens: 9,
      clicks: 5,
      bounceRate: 2 / 25,
      complaintRate: 1 / 25,
      orders: 3,
      revenue: 70,
    });
    expect(dayOf(overview, yesterday)).toMatchObject({ unsubscribes: 2, sends: 0 });
  });

  it('names the five journeys and five campaigns that sent the most, most first', async () => {
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e', 'f'].entries()) {
      await publishJourney(`journey-${id}`);
      await launchCampaign(`campaign-${id}`);
      await count(statsScope.journey(`journey-${id}`), today, sent, 10 + index);
      await count(statsScope.campaign(`campaign-${id}`), yesterday, sent, 100 - index);
    }
    await count(statsScope.campaign('campaign-f'), today, revenue, 250);
    // A campaign not launched yet has no counters that could count.
    await world.campaigns.put(springSale({ id: 'draft', name: 'Draft' }), world.clock.now());

    const overview = await overviewReport(deps, { days: '30' });

    expect(overview.topJourneys.map((row) => row.id)).toEqual([
      'journey-f',
      'journey-e',
      'journey-d',
      'journey-c',
      'journey-b',
    ]);
    expect(overview.topJourneys[0]).toEqual({
      id: 'journey-f',
      name: 'Journey journey-f',
      sends: 15,
      orders: 0,
      revenue: 0,
    });
    expect(overview.topCampaigns.map((row) => row.id)).toEqual([
      'campaign-a',
      'campaign-b',
      'campaign-c',
      'campaign-d',
      'campaign-e',
    ]);
  });

  it('leaves out the days before the period asked for', async () => {
    await publishJourney('welcome');
    await count(statsScope.journey('welcome'), '2026-11-16', sent, 5);
    await count(statsScope.journey('welcome'), '2026-11-17', sent, 1);

    const overview = await overviewReport(deps, { days: '7' });

    expect(overview.from).toBe('2026-11-17');
    expect(overview.days.reduce((sum, day) => sum + day.sends, 0)).toBe(1);
    expect(overview.topJourneys).toEqual([
      { id: 'welcome', name: 'Journey welcome', sends: 1, orders: 0, revenue: 0 },
    ]);
  });

  it('says marketing email is active until something pauses it, then why it is paused', async () => {
    expect((await overviewReport(deps, {})).sending).toEqual({ status: 'active', version: 0 });

    const pause = {
      at: `${today}T11:00:00.000Z`,
      source: 'complaint-rate',
      cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
    } as const;
    await world.sendingState.pause(pause);

    expect((await overviewReport(deps, {})).sending).toEqual({ status: 'paused', version: 1, pause });
  });

  it.each(['0', '93', 'many', '2.5'])('refuses days=%s, naming days', async (days) => {
    const refused = overviewReport(deps, { days });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ fields: { days: expect.any(String) } });
  });
});
