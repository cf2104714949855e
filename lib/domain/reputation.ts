import { z } from 'zod';
import type { DailyCounts } from './sending-state.js';

/**
 * Bounce and complaint rates, as SES's reputation metrics define them: each
 * over the mail sent. The thresholds sit below where SES reviews an account
 * (a bounce rate of 5 %, a complaint rate of 0.1 % are where AWS advises acting;
 * Gmail and Yahoo refuse bulk senders past 0.3 % complaints).
 */
export const RateThresholds = z
  .object({
    warning: z.number().positive().max(1),
    critical: z.number().positive().max(1),
  })
  .refine((rate) => rate.warning <= rate.critical, {
    message: 'the warning rate must not be above the critical rate',
    path: ['warning'],
  });
export type RateThresholds = z.infer<typeof RateThresholds>;

export const ReputationThresholds = z.object({
  bounceRate: RateThresholds,
  complaintRate: RateThresholds,
  /**
   * Rapport's own rates act only over at least this many sends: below it one
   * complaint is a percentage no mailbox provider would judge by.
   */
  minSends: z.number().int().min(1),
  /** How many UTC days, today included, Rapport's own rates look back over. */
  windowDays: z.number().int().min(1).max(30),
});
export type ReputationThresholds = z.infer<typeof ReputationThresholds>;

export const defaultReputationThresholds: ReputationThresholds = {
  bounceRate: { warning: 0.02, critical: 0.05 },
  complaintRate: { warning: 0.0008, critical: 0.001 },
  minSends: 1000,
  windowDays: 2,
};

export const EmailRates = z.object({
  sent: z.number().int().min(0),
  delivered: z.number().int().min(0),
  bounced: z.number().int().min(0),
  complained: z.number().int().min(0),
  /** Bounces over sends; null before anything was sent. */
  bounceRate: z.number().min(0).nullable(),
  /** Complaints over sends; null before anything was sent. */
  complaintRate: z.number().min(0).nullable(),
});
export type EmailRates = z.infer<typeof EmailRates>;

const countOf = (counters: Readonly<Record<string, number>>, metric: string): number =>
  Math.max(0, counters[metric] ?? 0);

/**
 * The rates of one scope's counters (a day of `email`, a journey, a campaign):
 * SES's `send`, `delivery`, `bounce` and `complaint` events, as the SES feedback
 * function counts them.
 */
export const emailRates = (counters: Readonly<Record<string, number>>): EmailRates => {
  const sent = countOf(counters, 'send');
  const bounced = countOf(counters, 'bounce');
  const complained = countOf(counters, 'complaint');
  return {
    sent,
    delivered: countOf(counters, 'delivery'),
    bounced,
    complained,
    bounceRate: sent === 0 ? null : bounced / sent,
    complaintRate: sent === 0 ? null : complained / sent,
  };
};

/** The counters of several days (or scopes) added up, for one rate over all of them. */
export const sumCounters = (days: readonly Readonly<Record<string, number>>[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const day of days)
    for (const [metric, value] of Object.entries(day)) total[metric] = (total[metric] ?? 0) + value;
  return total;
};

export type ReputationLevel = 'healthy' | 'warning' | 'critical';

export interface RateVerdict {
  rate: 'bounce-rate' | 'complaint-rate';
  level: ReputationLevel;
  value: number;
  threshold: number;
}

export interface ReputationVerdict {
  level: ReputationLevel;
  /** Too few sends to judge by: the level is `healthy` whatever the rates. */
  tooFewSends: boolean;
  /** Each rate past its warning threshold, worst first. */
  breaches: RateVerdict[];
  /** One line for a person: which rate, how high, over how many sends, against which threshold. */
  cause: string;
}

const levelOf = (value: number | null, thresholds: RateThresholds): ReputationLevel => {
  if (value === null) return 'healthy';
  if (value >= thresholds.critical) return 'critical';
  return value >= thresholds.warning ? 'warning' : 'healthy';
};

const rank: Readonly<Record<ReputationLevel, number>> = { healthy: 0, warning: 1, critical: 2 };

/** A rate as people read it: 0.12 %, 5.3 %. */
export const percentText = (value: number): string => {
  const percent = value * 100;
  const digits = percent === 0 ? 0 : percent < 1 ? 2 : 1;
  return `${percent.toFixed(digits)} %`;
};

/** Where a window's rates stand against the thresholds. */
export const judgeReputation = (rates: EmailRates, thresholds: ReputationThresholds): ReputationVerdict => {
  const tooFewSends = rates.sent < thresholds.minSends;
  const breaches: RateVerdict[] = [];
  const judge = (rate: RateVerdict['rate'], value: number | null, limits: RateThresholds) => {
    const level = levelOf(value, limits);
    if (value === null || level === 'healthy') return;
    breaches.push({ rate, level, value, threshold: level === 'critical' ? limits.critical : limits.warning });
  };
  judge('complaint-rate', rates.complaintRate, thresholds.complaintRate);
  judge('bounce-rate', rates.bounceRate, thresholds.bounceRate);
  breaches.sort((a, b) => rank[b.level] - rank[a.level]);
  const worst = breaches[0];
  const level = tooFewSends || worst === undefined ? 'healthy' : worst.level;
  const cause =
    worst === undefined
      ? `bounce and complaint rates below their warning thresholds over ${rates.sent} sends`
      : breaches
          .map(
            (breach) =>
              `${breach.rate === 'bounce-rate' ? 'bounce' : 'complaint'} rate ${percentText(breach.value)} (${breach.rate === 'bounce-rate' ? rates.bounced : rates.complained} of ${rates.sent} sent) at or above the ${breach.level} threshold ${percentText(breach.threshold)}`,
          )
          .join('; ');
  return { level, tooFewSends, breaches, cause };
};

/** What a resume keeps of a day, and what Rapport's own check reads: the counters its rates are made of. */
export const judgedMetrics = ['send', 'bounce', 'complaint'] as const;

/**
 * The rates over the given days, each day less what was counted by the last
 * resume (`countsAtResume`): after a resume only the mail sent since is judged,
 * or the mailing that caused the pause would pause it again.
 */
export const ratesSinceResume = (
  days: ReadonlyArray<{ day: string; counters: Readonly<Record<string, number>> }>,
  countsAtResume: DailyCounts = {},
): EmailRates =>
  emailRates(
    sumCounters(
      days.map(({ day, counters }) =>
        Object.fromEntries(
          judgedMetrics.map((metric) => [
            metric,
            Math.max(0, (counters[metric] ?? 0) - (countsAtResume[day]?.[metric] ?? 0)),
          ]),
        ),
      ),
    ),
  );
