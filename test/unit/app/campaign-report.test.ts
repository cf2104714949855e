import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type CampaignReportDeps, campaignReportOf } from '../../../lib/app/campaign-report.js';
import { journeyReport } from '../../../lib/domain/attribution.js';
import { CampaignDefinition } from '../../../lib/domain/campaign.js';
import { CampaignReport } from '../../../lib/domain/campaign-report.js';
import { ConflictError, NotFoundError } from '../../../lib/domain/errors.js';
import { metricKey, type StatsMetric, statsScope } from '../../../lib/domain/stats-keys.js';
import { springSale } from './support/campaigns.js';
import { aWorld } from './support/worlds.js';

const spring = springSale({
  abTest: { testPercent: 20, window: 'PT4H', metric: 'click-rate' },
  goal: { event: 'order_completed', within: 'P7D' },
});

const launchedAt = '2026-11-20T09:00:00.000Z';
let world: MemoryWorld;
let deps: CampaignReportDeps;

const launch = async (definition = spring, at = launchedAt, winner?: string) => {
  const saved = await world.campaigns.put(definition, world.clock.now());
  await world.campaigns.update(
    definition.id,
    { status: 'sending', launchedAt: at, ...(winner === undefined ? {} : { winner }) },
    world.clock.now(),
    saved.version,
  );
};

/** Counts under the campaign and, for a variant, under it too: as every writer does. */
const count = async (day: string, metric: StatsMetric, by: number, variant?: string) => {
  await world.stats.increment(statsScope.campaign('spring'), day, metricKey(metric), by);
  if (variant !== undefined)
    await world.stats.increment(statsScope.campaignVariant('spring', variant), day, metricKey(metric), by);
};

const members = (group: 'treatment' | 'control'): StatsMetric => ({
  kind: 'group',
  metric: 'members',
  group,
});
const converted = (group: 'treatment' | 'control'): StatsMetric => ({
  kind: 'group',
  metric: 'converted',
  group,
});
const convertedRevenue = (group: 'treatment' | 'control'): StatsMetric => ({
  kind: 'group',
  metric: 'converted-revenue-minor',
  group,
});
const ses = (event: string): StatsMetric => ({ kind: 'ses', event });

beforeEach(async () => {
  world = aWorld('2026-11-23T12:00:00.000Z');
  deps = { campaigns: world.campaigns, stats: world.stats, clock: world.clock };
});

describe('when a launched campaign is reported', () => {
  beforeEach(async () => {
    await launch(spring, launchedAt, 'b');
    const day = '2026-11-20';
    // 1,000 members in treatment (600 got a, 400 b), 1,000 in control.
    await count(day, members('treatment'), 600, 'a');
    await count(day, members('treatment'), 400, 'b');
    await count(day, members('control'), 1000);
    await count(day, { kind: 'delivery', delivery: { outcome: 'sent' } }, 590, 'a');
    await count(day, { kind: 'delivery', delivery: { outcome: 'sent' } }, 398, 'b');
    await count(
      day,
      { kind: 'delivery', delivery: { outcome: 'skipped', reason: 'not-subscribed' } },
      8,
      'a',
    );
    await count(day, { kind: 'delivery', delivery: { outcome: 'skipped', reason: 'suppressed' } }, 2, 'a');
    await count(day, { kind: 'delivery', delivery: { outcome: 'skipped', reason: 'suppressed' } }, 2, 'b');
    await count(day, { kind: 'delivery', delivery: { outcome: 'deferred', reason: 'quiet-hours' } }, 5, 'b');
    await count('2026-11-20', ses('send'), 590, 'a');
    await count('2026-11-20', ses('send'), 398, 'b');
    await count('2026-11-21', ses('delivery'), 580, 'a');
    await count('2026-11-21', ses('delivery'), 390, 'b');
    await count('2026-11-21', ses('bounce'), 10, 'a');
    await count('2026-11-21', ses('complaint'), 1, 'b');
    await count('2026-11-21', ses('open'), 300, 'a');
    await count('2026-11-22', ses('open'), 250, 'b');
    await count('2026-11-22', ses('click'), 40, 'a');
    await count('2026-11-22', ses('click'), 45, 'b');
    await count('2026-11-22', { kind: 'unsubscribed' }, 3, 'a');
    // Conversions on the launch day, where the members are: 36 + 24 of treatment, 40 of control.
    await count(day, converted('treatment'), 36, 'a');
    await count(day, converted('treatment'), 24, 'b');
    await count(day, convertedRevenue('treatment'), 252_000, 'a');
    await count(day, convertedRevenue('treatment'), 168_000, 'b');
    await count(day, converted('control'), 40);
    await count(day, convertedRevenue('control'), 260_000);
    const attributed = async (medium: string | null, orders: number, minor: number, variant: string) => {
      await count('2026-11-22', { kind: 'attributed', metric: 'orders' }, orders, variant);
      await count('2026-11-22', { kind: 'attributed', metric: 'revenue-minor' }, minor, variant);
      await count('2026-11-22', { kind: 'attributed-by-medium', metric: 'orders', medium }, orders, variant);
      await count(
        '2026-11-22',
        { kind: 'attributed-by-medium', metric: 'revenue-minor', medium },
        minor,
        variant,
      );
    };
    await attributed('email', 3, 12_050, 'a');
    await attributed(null, 1, 999, 'a');
    await attributed('email', 2, 8_000, 'b');
    await attributed('social', 1, 30_000, 'b');
    // Before the launch: not the campaign's range.
    await count('2026-11-19', ses('click'), 1000, 'a');
  });

  it('adds up each variant and the total, from the launch day to today, with its bounce and complaint rates', async () => {
    const report = await campaignReportOf(deps, 'spring', 'EUR');

    expect(report).toMatchObject({
      campaignId: 'spring',
      name: 'Spring sale',
      status: 'sending',
      launchedAt,
      from: '2026-11-20',
      to: '2026-11-23',
      winner: 'b',
      currency: 'EUR',
    });
    expect(report.total).toEqual({
      audience: { treatment: 1000, control: 1000 },
      sent: 988,
      failed: 0,
      skipped: { suppressed: 4, 'not-subscribed': 8 },
      deferred: { 'quiet-hours': 5 },
      delivered: 970,
      bounced: 10,
      complained: 1,
      bounceRate: 10 / 988,
      complaintRate: 1 / 988,
      opened: 550,
      clicked: 85,
      unsubscribed: 3,
      attributed: {
        orders: 7,
        revenue: 510.49,
        byMedium: [
          { medium: 'social', orders: 1, revenue: 300 },
          { medium: 'email', orders: 5, revenue: 200.5 },
          { medium: null, orders: 1, revenue: 9.99 },
        ],
      },
    });
    expect(CampaignReport.parse(report)).toEqual(report);
    expect(report.variants.map((variant) => variant.variant)).toEqual(['a', 'b']);
    expect(report.variants[0]).toMatchObject({
      audience: { treatment: 600, control: 0 },
      sent: 590,
      skipped: { suppressed: 2, 'not-subscribed': 8 },
      deferred: {},
      bounceRate: 10 / 590,
      complaintRate: 0,
      clicked: 40,
      unsubscribed: 3,
      attributed: { orders: 4, revenue: 130.49 },
    });
    expect(report.variants[1]).toMatchObject({
      audience: { treatment: 400, control: 0 },
      sent: 398,
      deferred: { 'quiet-hours': 5 },
      bounceRate: 0,
      complaintRate: 1 / 398,
      clicked: 45,
      attributed: { orders: 3, revenue: 380 },
    });
  });

  it('compares treatment with control as the journey report does, in total and per variant', async () => {
    const report = await campaignReportOf(deps, 'spring', 'EUR');
    const control = { members: 1000, conversions: 40, revenue: 2600 };

    expect(report.goal).toEqual({
      event: 'order_completed',
      within: 'P7D',
      holdout: journeyReport({ treatment: { members: 1000, conversions: 60, revenue: 4200 }, control }),
      variants: [
        {
          variant: 'a',
          holdout: journeyReport({ treatment: { members: 600, conversions: 36, revenue: 2520 }, control }),
        },
        {
          variant: 'b',
          holdout: journeyReport({ treatment: { members: 400, conversions: 24, revenue: 1680 }, control }),
        },
      ],
    });
    // docs/customer-value.md's worked example: 6% against 4%, significant at 95%.
    expect(report.goal?.holdout.lift.absolute).toBeCloseTo(0.02, 10);
    expect(report.goal?.holdout.lift.interval?.lower).toBeCloseTo(0.000817, 6);
    expect(report.goal?.holdout.lift.significant).toBe(true);
  });
});

describe('when the range would be longer than the stats allow', () => {
  it('reports the first 92 days from the launch', async () => {
    world.clock.set('2027-06-01T12:00:00.000Z');
    await launch();

    const report = await campaignReportOf(deps, 'spring', 'EUR');

    expect([report.from, report.to]).toEqual(['2026-11-20', '2027-02-19']);
  });
});

describe('when the campaign has no goal or no variants', () => {
  it('reports no holdout comparison and the totals alone', async () => {
    const { goal: _goal, variants: _variants, abTest: _abTest, ...plain } = spring;
    await launch(CampaignDefinition.parse(plain));
    await count('2026-11-20', ses('click'), 4);

    const report = await campaignReportOf(deps, 'spring', 'JPY');

    expect(report.goal).toBeNull();
    expect(report.variants).toEqual([]);
    expect(report.winner).toBeNull();
    expect(report.total.clicked).toBe(4);
    // SES reported no send: a rate over nothing is none, not zero.
    expect([report.total.bounceRate, report.total.complaintRate]).toEqual([null, null]);
    expect(report.currency).toBe('JPY');
  });
});

describe('when there is nothing to report', () => {
  it('answers that a campaign that does not exist is not found', async () => {
    await expect(campaignReportOf(deps, 'nope', 'EUR')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers that a draft has not been launched', async () => {
    await world.campaigns.put(spring, world.clock.now());

    await expect(campaignReportOf(deps, 'spring', 'EUR')).rejects.toThrow(ConflictError);
  });
});
