import { DateTime } from 'luxon';
import { journeyReport } from '../domain/attribution.js';
import type { CampaignFigures, CampaignReport } from '../domain/campaign-report.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { DeferReason, SkipReason } from '../domain/message.js';
import { fromMinorUnits } from '../domain/money.js';
import { emailRates } from '../domain/reputation.js';
import {
  type Group,
  type GroupMetric,
  mediumOfKey,
  metricKey,
  type StatsMetric,
  statsScope,
} from '../domain/stats-keys.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { StatsStore } from '../ports/stats-store.js';
import { inParallel } from './in-parallel.js';
import { maxStatsDays, statsDays } from './manage-journeys.js';
import { sesEventMetric } from './record-ses-feedback.js';

export interface CampaignReportDeps {
  campaigns: Pick<CampaignStore, 'get'>;
  stats: Pick<StatsStore, 'read'>;
  clock: Clock;
}

type Counters = Readonly<Record<string, number>>;

/** The day's counters of every scope, summed over the range. */
const summed = (days: readonly Counters[]): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (const counters of days)
    for (const [key, count] of Object.entries(counters)) sums[key] = (sums[key] ?? 0) + count;
  return sums;
};

/** Reasons that occurred, in the order the schema lists them. */
const byReason = <R extends string>(
  counters: Counters,
  reasons: readonly R[],
  key: (reason: R) => StatsMetric,
): Record<string, number> =>
  Object.fromEntries(
    reasons
      .map((reason) => [reason, counters[metricKey(key(reason))] ?? 0] as const)
      .filter(([, count]) => count > 0),
  );

const figuresOf = (counters: Counters, currency: string): CampaignFigures => {
  const of = (metric: StatsMetric) => counters[metricKey(metric)] ?? 0;
  const ses = (event: keyof typeof sesEventMetric) => of({ kind: 'ses', event: sesEventMetric[event] });
  const major = (minor: number) => fromMinorUnits(minor, currency);
  const rates = emailRates(counters);
  const media = new Map<string | null, { orders: number; revenueMinor: number }>();
  for (const [key, count] of Object.entries(counters)) {
    const parsed = mediumOfKey(key);
    if (parsed === undefined) continue;
    const row = media.get(parsed.medium) ?? { orders: 0, revenueMinor: 0 };
    if (parsed.metric === 'orders') row.orders += count;
    else row.revenueMinor += count;
    media.set(parsed.medium, row);
  }
  return {
    audience: {
      treatment: of({ kind: 'group', metric: 'members', group: 'treatment' }),
      control: of({ kind: 'group', metric: 'members', group: 'control' }),
    },
    sent: of({ kind: 'delivery', delivery: { outcome: 'sent' } }),
    failed: of({ kind: 'delivery', delivery: { outcome: 'failed' } }),
    skipped: byReason(counters, SkipReason.options, (reason) => ({
      kind: 'delivery',
      delivery: { outcome: 'skipped', reason },
    })),
    deferred: byReason(counters, DeferReason.options, (reason) => ({
      kind: 'delivery',
      delivery: { outcome: 'deferred', reason },
    })),
    delivered: ses('Delivery'),
    bounced: ses('Bounce'),
    complained: ses('Complaint'),
    bounceRate: rates.bounceRate,
    complaintRate: rates.complaintRate,
    opened: ses('Open'),
    clicked: ses('Click'),
    unsubscribed: of({ kind: 'unsubscribed' }),
    attributed: {
      orders: of({ kind: 'attributed', metric: 'orders' }),
      revenue: major(of({ kind: 'attributed', metric: 'revenue-minor' })),
      // Most revenue first; the medium's name breaks ties, so the answer never depends on read order.
      byMedium: [...media.entries()]
        .sort(
          ([mediumA, a], [mediumB, b]) =>
            b.revenueMinor - a.revenueMinor || (mediumA ?? '').localeCompare(mediumB ?? ''),
        )
        .map(([medium, row]) => ({ medium, orders: row.orders, revenue: major(row.revenueMinor) })),
    },
  };
};

/** A group's members, those who converted (never more than the members) and what that was worth. */
const groupOutcome = (counters: Counters, group: Group, currency: string) => {
  const of = (metric: GroupMetric) => counters[metricKey({ kind: 'group', metric, group })] ?? 0;
  const members = of('members');
  return {
    members,
    conversions: Math.min(of('converted'), members),
    revenue: fromMinorUnits(of('converted-revenue-minor'), currency),
  };
};

/**
 * The launch day to today: the stats range rules (at most 92 days); a campaign
 * launched longer ago reports its first 92 days, where its sends, goal windows
 * and most attributed orders fall.
 */
const rangeOf = (launchedAt: string, now: Date): string[] => {
  const launchDay = DateTime.fromISO(launchedAt, { zone: 'utc' }).startOf('day');
  const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  const lastDay = launchDay.plus({ days: maxStatsDays - 1 });
  const to = today < launchDay ? launchDay : today > lastDay ? lastDay : today;
  return statsDays({ from: launchDay.toISODate(), to: to.toISODate() }, now);
};

/**
 * What a campaign did, from its counters (no recipient is read, so a million
 * recipients cost what ten do): the audience per group; sends, skips and
 * deferrals by reason; SES's deliveries, bounces, complaints, opens and clicks,
 * and the bounce and complaint rates;
 * unsubscribes through its links; orders credited to its mail by last click, in
 * total and by the customers' acquisition medium; per variant and in total.
 * With a goal, treatment against control (the journey report's statistics:
 * docs/customer-value.md), for the campaign and for each variant. Counters keep
 * money in minor units of `currency`; the answer gives major units.
 */
export const campaignReportOf = async (
  deps: CampaignReportDeps,
  campaignId: string,
  currency: string,
): Promise<CampaignReport> => {
  const campaign = await deps.campaigns.get(campaignId);
  if (campaign === undefined) throw new NotFoundError(`there is no campaign "${campaignId}"`);
  const { definition, launchedAt } = campaign;
  if (launchedAt === undefined)
    throw new ConflictError(
      `the campaign "${campaignId}" has not been launched: there is nothing to report yet`,
    );
  const days = rangeOf(launchedAt, deps.clock.now());
  const variantIds = (definition.variants ?? []).map((variant) => variant.id);
  const scopes = [
    statsScope.campaign(campaignId),
    ...variantIds.map((variant) => statsScope.campaignVariant(campaignId, variant)),
  ];
  // One counter partition per scope and day: at most 5 scopes × 92 days.
  const read = await inParallel(
    scopes.flatMap((scope) => days.map((day) => ({ scope, day }))),
    16,
    ({ scope, day }) => deps.stats.read(scope, day),
  );
  const [total = {}, ...perVariant] = scopes.map((_, index) =>
    summed(read.slice(index * days.length, (index + 1) * days.length)),
  );
  const control = groupOutcome(total, 'control', currency);
  const goal = definition.goal;
  return {
    campaignId,
    name: definition.name,
    status: campaign.status,
    launchedAt,
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    total: figuresOf(total, currency),
    variants: variantIds.map((variant, index) => ({
      variant,
      ...figuresOf(perVariant[index] ?? {}, currency),
    })),
    winner: campaign.winner ?? null,
    goal:
      goal === undefined
        ? null
        : {
            event: goal.event,
            within: goal.within,
            holdout: journeyReport({ treatment: groupOutcome(total, 'treatment', currency), control }),
            variants: variantIds.map((variant, index) => ({
              variant,
              holdout: journeyReport({
                treatment: groupOutcome(perVariant[index] ?? {}, 'treatment', currency),
                control,
              }),
            })),
          },
    currency,
  };
};
