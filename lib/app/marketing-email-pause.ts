import { z } from 'zod';
import type { AuditEntry } from '../domain/audit-entry.js';
import {
  judgedMetrics,
  judgeReputation,
  type ReputationThresholds,
  type ReputationVerdict,
  ratesSinceResume,
} from '../domain/reputation.js';
import type { DailyCounts, SendingPauseSource, SendingState } from '../domain/sending-state.js';
import { statsScope } from '../domain/stats-keys.js';
import { lastDays } from '../domain/utc-days.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { SendingStateStore } from '../ports/sending-state-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import { problemsOf, refuse } from './admin/problems.js';

export interface MarketingPauseDeps {
  sending: SendingStateStore;
  ids: IdGenerator;
}

/** The route an operator pauses by; Rapport's own pauses are logged under it too. */
export const pauseRoute = '/admin/sending/pause';

export interface PauseRequest {
  source: SendingPauseSource;
  cause: string;
  /** The admin who paused it; absent when Rapport paused it on its own. */
  by?: string;
  at: Date;
}

/**
 * Pauses marketing email: every journey's and campaign's email waits as deferred
 * until someone resumes, and transactional mail goes on. A pause Rapport makes on
 * its own goes in the audit log with its cause (an operator's pause is logged by
 * the admin API like every change).
 */
export const pauseMarketingEmail = async (
  deps: MarketingPauseDeps,
  request: PauseRequest,
): Promise<{ outcome: 'paused' | 'already-paused'; state: SendingState }> => {
  const at = request.at.toISOString();
  // Rapport's own pause is logged in the pause's own transaction: a crash between
  // two writes would leave it unexplained, and a retry finds it paused and adds nothing.
  const entry: AuditEntry | undefined =
    request.by === undefined
      ? {
          id: deps.ids.next(),
          at,
          actor: { id: `rapport:${request.source}`, role: 'system' },
          method: 'POST',
          route: pauseRoute,
          target: {},
          status: 200,
          cause: request.cause,
        }
      : undefined;
  const outcome = await deps.sending.pause(
    {
      at,
      source: request.source,
      cause: request.cause,
      ...(request.by === undefined ? {} : { by: request.by }),
    },
    entry,
  );
  return { outcome, state: await deps.sending.get() };
};

/**
 * Resumes marketing email; the deferred mail goes out as each copy looks again.
 * The window's counters are kept with the resume, so Rapport's own check judges
 * only the mail sent after it. Resuming when not paused changes nothing.
 */
export const resumeMarketingEmail = async (
  deps: Pick<ReputationGuardDeps, 'sending' | 'stats' | 'thresholds'>,
  request: { by: string; at: Date },
): Promise<SendingState> => {
  await deps.sending.resume({
    at: request.at.toISOString(),
    by: request.by,
    countsAtResume: await windowCounts(deps, request.at),
  });
  return deps.sending.get();
};

export interface ReputationGuardDeps extends MarketingPauseDeps {
  stats: Pick<StatsStore, 'read'>;
  thresholds: ReputationThresholds;
}

/** The `email` scope's judged counters, day by day over the window: what a resume keeps. */
const windowCounts = async (
  deps: Pick<ReputationGuardDeps, 'stats' | 'thresholds'>,
  now: Date,
): Promise<DailyCounts> => {
  const days = lastDays(deps.thresholds.windowDays, now);
  const counters = await Promise.all(days.map((day) => deps.stats.read(statsScope.email, day)));
  return Object.fromEntries(
    days.map((day, index) => [
      day,
      Object.fromEntries(judgedMetrics.map((metric) => [metric, counters[index]?.[metric] ?? 0])),
    ]),
  );
};

/**
 * Rapport's own check after a bounce or a complaint: when the window's bounce or
 * complaint rate reaches its critical threshold over enough sends, marketing
 * email pauses before SES reviews the account. SES's reputation alarm does the
 * same from CloudWatch; whichever sees it first pauses, the other finds it paused.
 */
export const guardReputation = async (
  deps: ReputationGuardDeps,
  now: Date,
): Promise<{ verdict: ReputationVerdict | undefined; paused: boolean }> => {
  const state = await deps.sending.get();
  // Paused already: nothing to judge until someone resumes.
  if (state.status === 'paused') return { verdict: undefined, paused: false };
  const counts = await windowCounts(deps, now);
  const rates = ratesSinceResume(
    Object.entries(counts).map(([day, counters]) => ({ day, counters })),
    state.lastPause?.countsAtResume,
  );
  const verdict = judgeReputation(rates, deps.thresholds);
  const worst = verdict.breaches[0];
  if (verdict.level !== 'critical' || worst === undefined) return { verdict, paused: false };
  const { outcome } = await pauseMarketingEmail(deps, {
    source: worst.rate,
    cause: `${verdict.cause}, over ${deps.thresholds.windowDays === 1 ? 'today' : `the last ${deps.thresholds.windowDays} days (UTC, today included)`}`,
    at: now,
  });
  return { verdict, paused: outcome === 'paused' };
};

/** An operator's pause: why, in their words, for whoever resumes. */
export const PauseBody = z.strictObject({
  cause: z
    .string({ error: 'say why marketing email is paused, for whoever resumes it' })
    .trim()
    .min(1, 'say why marketing email is paused, for whoever resumes it')
    .max(500),
});
export type PauseBody = z.infer<typeof PauseBody>;

/** `POST /admin/sending/pause`: an operator pauses marketing email; answers the state it is in now. */
export const pauseMarketingEmailByAdmin = async (
  deps: MarketingPauseDeps & { clock: Clock },
  body: unknown,
  by: string,
): Promise<SendingState> => {
  const parsed = PauseBody.safeParse(body ?? {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the pause is not valid');
  return (
    await pauseMarketingEmail(deps, { source: 'admin', cause: parsed.data.cause, by, at: deps.clock.now() })
  ).state;
};
