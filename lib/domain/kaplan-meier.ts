import { z } from 'zod';

/**
 * The Kaplan–Meier estimate of a survival function: how long until something
 * happens (a customer buys again), from observations where some ended before
 * it happened (censored: the customer has not bought again yet). Dropping the
 * censored ones would keep only the intervals short enough to have finished,
 * and bias every estimate short; Kaplan–Meier counts them as at risk up to
 * where they were cut off.
 */

/** One duration: `observed` when the event happened at its end, censored when the watch ended first. */
export const SurvivalObservation = z.object({
  duration: z.number().min(0),
  observed: z.boolean(),
  /** How many identical observations this one stands for; 1 when absent. */
  weight: z.number().positive().optional(),
});
export type SurvivalObservation = z.infer<typeof SurvivalObservation>;

/** Survival just after `duration`, a time at which at least one event happened. */
export const SurvivalStep = z.object({
  duration: z.number().min(0),
  survival: z.number().min(0).max(1),
  /** Weight still under watch at `duration` (not ended before it). */
  atRisk: z.number().min(0),
  /** Weight of the events at `duration`. */
  events: z.number().positive(),
});
export type SurvivalStep = z.infer<typeof SurvivalStep>;

/** The step function: 1 before the first step, each step's survival from its duration to the next. */
export const SurvivalCurve = z.array(SurvivalStep);
export type SurvivalCurve = z.infer<typeof SurvivalCurve>;

/** An observation or a quantile the estimate cannot use, with the field named. */
export class InvalidSurvivalDataError extends Error {
  override readonly name = 'InvalidSurvivalDataError';
}

// Products of ratios such as 3/4 × 2/3 land a hair off 0.5; a quantile must not miss its step by that.
const TOLERANCE = 1e-12;

const checked = (observations: readonly SurvivalObservation[]): SurvivalObservation[] =>
  observations.map((observation, index) => {
    const { duration, weight } = observation;
    if (!Number.isFinite(duration) || duration < 0)
      throw new InvalidSurvivalDataError(
        `observations[${index}].duration must be a finite number at least 0; got ${duration}`,
      );
    if (weight !== undefined && (!Number.isFinite(weight) || weight <= 0))
      throw new InvalidSurvivalDataError(
        `observations[${index}].weight must be a finite number above 0; got ${weight}`,
      );
    return observation;
  });

/**
 * The product-limit estimate: at each duration with events d out of n at risk,
 * survival is multiplied by 1 − d/n. An observation censored at the same
 * duration as an event is still at risk there (the usual convention: it was
 * watched through that time).
 */
export const kaplanMeier = (observations: readonly SurvivalObservation[]): SurvivalCurve => {
  const sorted = checked(observations).sort((a, b) => a.duration - b.duration);
  let atRisk = sorted.reduce((sum, observation) => sum + (observation.weight ?? 1), 0);
  let survival = 1;
  const steps: SurvivalStep[] = [];
  let index = 0;
  while (index < sorted.length) {
    const duration = sorted[index]?.duration ?? 0;
    let events = 0;
    let ended = 0;
    for (let at = sorted[index]; at !== undefined && at.duration === duration; at = sorted[++index]) {
      const weight = at.weight ?? 1;
      if (at.observed) events += weight;
      ended += weight;
    }
    if (events > 0) {
      survival = events >= atRisk ? 0 : survival * (1 - events / atRisk);
      steps.push({ duration, survival, atRisk, events });
    }
    atRisk -= ended;
  }
  return steps;
};

/**
 * The smallest duration at which survival is at most 1 − p: the median for
 * p = 0.5, the first quartile for 0.25, the third for 0.75. Undefined when
 * survival never gets that low, as under heavy censoring: then there is no
 * median, rather than a short one.
 */
export const survivalQuantile = (curve: SurvivalCurve, p: number): number | undefined => {
  if (!(p > 0 && p < 1)) throw new InvalidSurvivalDataError(`p must be between 0 and 1, exclusive; got ${p}`);
  return curve.find((step) => step.survival <= 1 - p + TOLERANCE)?.duration;
};
