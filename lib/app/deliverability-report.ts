import {
  type DeliverabilityDay,
  DeliverabilityQuery,
  type DeliverabilityReport,
  type MailingRates,
} from '../domain/deliverability-report.js';
import {
  type EmailRates,
  emailRates,
  judgeReputation,
  type ReputationThresholds,
  ratesSinceResume,
  sumCounters,
} from '../domain/reputation.js';
import { statsScope } from '../domain/stats-keys.js';
import { lastDays } from '../domain/utc-days.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { SendingStateStore } from '../ports/sending-state-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import { problemsOf, refuse } from './admin/problems.js';
import { inParallel } from './in-parallel.js';
import { type Mailing, mailingsOf } from './mailing-scopes.js';

export interface DeliverabilityReportDeps {
  journeys: Pick<JourneyStore, 'list'>;
  campaigns: Pick<CampaignStore, 'list'>;
  stats: Pick<StatsStore, 'read'>;
  sending: Pick<SendingStateStore, 'get'>;
  clock: Clock;
  /** The thresholds the automatic pause acts on. */
  thresholds: ReputationThresholds;
}

type Counters = Readonly<Record<string, number>>;

/** Scope-days read at once: each is one small partition. */
const readConcurrency = 16;

/** Where rates stand however few the sends (see `MailingRates`). */
const judged = (rates: EmailRates, thresholds: ReputationThresholds) => {
  const verdict = judgeReputation(rates, thresholds);
  return { level: verdict.breaches[0]?.level ?? 'healthy', tooFewSends: verdict.tooFewSends };
};

/** Nothing sent has no rate, and sorts after any rate. */
const descending = (a: number | null, b: number | null): number => (b ?? -1) - (a ?? -1);

const worstFirst = (a: MailingRates, b: MailingRates): number =>
  descending(a.complaintRate, b.complaintRate) ||
  descending(a.bounceRate, b.bounceRate) ||
  b.sent - a.sent ||
  a.id.localeCompare(b.id);

const anyEvent = (rates: EmailRates): boolean =>
  rates.sent + rates.delivered + rates.bounced + rates.complained > 0;

/**
 * Rapport's own bounce and complaint rates over the last `days` UTC days (30 by
 * default, 1 to 90), from the SES events the feedback function counts: per day
 * for all mail, per journey and per campaign, worst first. Beside them, the
 * sending state and the window the automatic pause judges (the last
 * `windowDays` days). Only counters are read.
 */
export const deliverabilityReport = async (
  deps: DeliverabilityReportDeps,
  query: unknown,
): Promise<DeliverabilityReport> => {
  const parsed = DeliverabilityQuery.safeParse(query);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the deliverability period is not valid');
  const { thresholds } = deps;
  const now = deps.clock.now();
  // The window may reach further back than a short period: the email scope is read over both.
  const emailDays = lastDays(Math.max(parsed.data.days, thresholds.windowDays), now);
  const days = emailDays.slice(-parsed.data.days);
  const [sending, journeys, campaigns] = await Promise.all([
    deps.sending.get(),
    deps.journeys.list(),
    deps.campaigns.list(),
  ]);
  const { journeys: journeyMailings, campaigns: campaignMailings } = mailingsOf(journeys, campaigns);
  const reads = [
    ...emailDays.map((day) => ({ scope: statsScope.email, day })),
    ...[...journeyMailings, ...campaignMailings].flatMap((mailing) =>
      days.map((day) => ({ scope: mailing.scope, day })),
    ),
  ];
  const read = await inParallel(reads, readConcurrency, ({ scope, day }) => deps.stats.read(scope, day));
  const email: Counters[] = read.slice(0, emailDays.length);
  const byScope = new Map<string, Counters[]>();
  [...journeyMailings, ...campaignMailings].forEach((mailing, index) => {
    const start = emailDays.length + index * days.length;
    byScope.set(mailing.scope, read.slice(start, start + days.length));
  });

  const periodEmail = email.slice(-days.length);
  const windowDays = emailDays.slice(-thresholds.windowDays);
  const windowEmail = email.slice(-windowDays.length);
  // Judged as the automatic pause judges it: after a resume, only what came since.
  const windowRates = ratesSinceResume(
    windowDays.map((day, index) => ({ day, counters: windowEmail[index] ?? {} })),
    sending.status === 'active' ? sending.lastPause?.countsAtResume : undefined,
  );
  const verdict = judgeReputation(windowRates, thresholds);

  const mailingRates = (mailings: readonly Mailing[]): MailingRates[] =>
    mailings
      .map((mailing) => {
        const rates = emailRates(sumCounters(byScope.get(mailing.scope) ?? []));
        return { id: mailing.id, name: mailing.name, ...rates, ...judged(rates, thresholds) };
      })
      .filter(anyEvent)
      .sort(worstFirst);

  return {
    from: days[0] ?? '',
    to: days.at(-1) ?? '',
    sending,
    thresholds,
    window: {
      from: windowDays[0] ?? '',
      to: emailDays.at(-1) ?? '',
      rates: windowRates,
      level: verdict.level,
      tooFewSends: verdict.tooFewSends,
      breaches: verdict.breaches,
      cause: verdict.cause,
    },
    total: emailRates(sumCounters(periodEmail)),
    days: days.map((day, index): DeliverabilityDay => {
      const rates = emailRates(periodEmail[index] ?? {});
      return { day, ...rates, ...judged(rates, thresholds) };
    }),
    journeys: mailingRates(journeyMailings),
    campaigns: mailingRates(campaignMailings),
  };
};
