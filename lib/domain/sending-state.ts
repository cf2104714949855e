import { z } from 'zod';

/**
 * What paused marketing email: Rapport's own bounce or complaint rate past its
 * critical threshold, the CloudWatch alarm on the SES account's reputation, or
 * an operator.
 */
export const SendingPauseSource = z.enum(['complaint-rate', 'bounce-rate', 'alarm', 'admin']);
export type SendingPauseSource = z.infer<typeof SendingPauseSource>;

export const SendingPause = z.object({
  at: z.iso.datetime(),
  source: SendingPauseSource,
  /** Why, for the person who resumes: the rate, its threshold and the sends it was measured over. */
  cause: z.string().trim().min(1).max(1000),
  /** Who paused it, when a person did (their caller id). */
  by: z.string().min(1).max(2048).optional(),
});
export type SendingPause = z.infer<typeof SendingPause>;

/** Each UTC day's counters (`send`, `bounce`, `complaint`), by day. */
export const DailyCounts = z.record(z.iso.date(), z.record(z.string(), z.number()));
export type DailyCounts = z.infer<typeof DailyCounts>;

export const SendingResume = z.object({
  at: z.iso.datetime(),
  by: z.string().min(1).max(2048),
  /**
   * The `email` counters of the reputation window as they stood at the resume:
   * Rapport's own check judges only what came after, or the mailing that caused
   * the pause would pause it again at its next bounce.
   */
  countsAtResume: DailyCounts.optional(),
});
export type SendingResume = z.infer<typeof SendingResume>;

/**
 * Whether marketing email may go out. Paused, every journey's and campaign's
 * email waits as deferred (`marketing-paused`) and transactional mail (the
 * confirmation) goes on. `version` counts the changes; 0 before the first.
 */
export const SendingState = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('active'),
    version: z.number().int().min(0),
    /** The last pause, once resumed: what it was and who ended it. */
    lastPause: SendingPause.extend({
      resumedAt: z.iso.datetime(),
      resumedBy: z.string(),
      countsAtResume: DailyCounts.optional(),
    }).optional(),
  }),
  z.object({
    status: z.literal('paused'),
    version: z.number().int().min(1),
    pause: SendingPause,
  }),
]);
export type SendingState = z.infer<typeof SendingState>;

export const neverPaused: SendingState = { status: 'active', version: 0 };
