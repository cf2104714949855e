import { fromMinorUnits } from '../domain/money.js';
import { type Overview, type OverviewActivity, type OverviewDay, OverviewQuery } from '../domain/overview.js';
import { emailRates } from '../domain/reputation.js';
import { metricKey, type StatsMetric, statsScope } from '../domain/stats-keys.js';
import { lastDays } from '../domain/utc-days.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { SendingStateStore } from '../ports/sending-state-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import { problemsOf, refuse } from './admin/problems.js';
import { inParallel } from './in-parallel.js';
import { type Mailing, mailingsOf } from './mailing-scopes.js';
import { sesEventMetric } from './record-ses-feedback.js';

export interface OverviewDeps {
  journeys: Pick<JourneyStore, 'list'>;
  campaigns: Pick<CampaignStore, 'list'>;
  stats: Pick<StatsStore, 'read'>;
  sending: Pick<SendingStateStore, 'get'>;
  clock: Clock;
  /** The deployment's: counters keep money in its minor units. */
  currency: string;
}

type Counters = Readonly<Record<string, number>>;

/** Scope-days read at once: each is one small partition, and 92 days × many scopes add up. */
const readConcurrency = 16;
const topCount = 5;

const key = (metric: StatsMetric): string => metricKey(metric);
const sentKey = key({ kind: 'delivery', delivery: { outcome: 'sent' } });
const ordersKey = key({ kind: 'attributed', metric: 'orders' });
const revenueKey = key({ kind: 'attributed', metric: 'revenue-minor' });

const sum = (days: readonly Counters[], metric: string): number =>
  days.reduce((total, counters) => total + (counters[metric] ?? 0), 0);

/**
 * The whole deployment over the last `days` UTC days (30 by default, 1 to 92):
 * per day, the audience's signups, confirmations and unsubscribes; sends
 * (transactional, every journey's and every campaign's); SES's deliveries,
 * bounces, complaints, opens and clicks, and the bounce and complaint rates;
 * whether marketing email is paused; orders credited to journeys' and
 * campaigns' mail and their revenue in major units of `currency`; and the five
 * journeys and campaigns that sent the most. Only counters are read.
 */
export const overviewReport = async (deps: OverviewDeps, query: unknown): Promise<Overview> => {
  const parsed = OverviewQuery.safeParse(query);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the overview range is not valid');
  const days = lastDays(parsed.data.days, deps.clock.now());
  const [journeys, campaigns, sending] = await Promise.all([
    deps.journeys.list(),
    deps.campaigns.list(),
    deps.sending.get(),
  ]);
  const { journeys: journeyOwners, campaigns: campaignOwners } = mailingsOf(journeys, campaigns);
  const scopes = [
    statsScope.audience,
    statsScope.email,
    statsScope.transactional,
    ...journeyOwners.map((owner) => owner.scope),
    ...campaignOwners.map((owner) => owner.scope),
  ];
  const read = await inParallel(
    scopes.flatMap((scope) => days.map((day) => ({ scope, day }))),
    readConcurrency,
    ({ scope, day }) => deps.stats.read(scope, day),
  );
  /** Each scope's counters, one entry per day of the range. */
  const byScope = new Map(
    scopes.map((scope, index) => [scope, read.slice(index * days.length, (index + 1) * days.length)]),
  );
  const of = (scope: string, dayIndex: number): Counters => byScope.get(scope)?.[dayIndex] ?? {};
  const owners = [...journeyOwners, ...campaignOwners];
  const major = (minor: number) => fromMinorUnits(minor, deps.currency);

  const overviewDays = days.map((day, index): OverviewDay => {
    const audience = of(statsScope.audience, index);
    const email = of(statsScope.email, index);
    const ses = (event: keyof typeof sesEventMetric) => email[sesEventMetric[event]] ?? 0;
    const owned = owners.map((owner) => of(owner.scope, index));
    const { bounceRate, complaintRate } = emailRates(email);
    return {
      day,
      signups: audience[key({ kind: 'audience', event: 'signup' })] ?? 0,
      confirmations: audience[key({ kind: 'audience', event: 'confirmation' })] ?? 0,
      unsubscribes: audience[key({ kind: 'audience', event: 'unsubscribe' })] ?? 0,
      sends: (of(statsScope.transactional, index)[sentKey] ?? 0) + sum(owned, sentKey),
      deliveries: ses('Delivery'),
      bounces: ses('Bounce'),
      complaints: ses('Complaint'),
      opens: ses('Open'),
      clicks: ses('Click'),
      bounceRate,
      complaintRate,
      orders: sum(owned, ordersKey),
      revenue: major(sum(owned, revenueKey)),
    };
  });

  const busiest = (candidates: readonly Mailing[]): OverviewActivity[] =>
    candidates
      .map((owner) => {
        const counters = byScope.get(owner.scope) ?? [];
        return {
          id: owner.id,
          name: owner.name,
          sends: sum(counters, sentKey),
          orders: sum(counters, ordersKey),
          revenueMinor: sum(counters, revenueKey),
        };
      })
      .filter((row) => row.sends > 0 || row.orders > 0)
      // Most sends first; revenue, then the id, break ties so the answer never depends on read order.
      .sort((a, b) => b.sends - a.sends || b.revenueMinor - a.revenueMinor || a.id.localeCompare(b.id))
      .slice(0, topCount)
      .map(({ revenueMinor, ...row }) => ({ ...row, revenue: major(revenueMinor) }));

  return {
    from: days[0] ?? '',
    to: days.at(-1) ?? '',
    currency: deps.currency,
    sending,
    days: overviewDays,
    topJourneys: busiest(journeyOwners),
    topCampaigns: busiest(campaignOwners),
  };
};
