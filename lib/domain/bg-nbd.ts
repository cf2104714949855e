import gammaln from '@stdlib/math-base-special-gammaln';
import { z } from 'zod';
import { logHyp2f1 } from './hypergeometric.js';
import { logPrior } from './log-prior.js';
import { minimize } from './nelder-mead.js';
import { NoRepeatPurchasesError, type RepeatSummary } from './repeat-summary.js';
import { standardErrorsOfLogParameters } from './standard-errors.js';

/**
 * The BG/NBD model of the purchase process (Fader, Hardie and Lee 2005,
 * "Counting your customers the easy way: an alternative to the Pareto/NBD
 * model", Marketing Science 24(2)). While alive, a customer buys as a Poisson
 * process of rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Times are in the unit of the summaries
 * (repeat-summary.ts); α is in that unit too, r, a and b have none.
 */

export const BgNbdParameters = z.object({
  r: z.number().positive(),
  alpha: z.number().positive(),
  a: z.number().positive(),
  b: z.number().positive(),
});
export type BgNbdParameters = z.infer<typeof BgNbdParameters>;

export const BgNbdStandardErrors = z.object({
  r: z.number().min(0),
  alpha: z.number().min(0),
  a: z.number().min(0),
  b: z.number().min(0),
});
export type BgNbdStandardErrors = z.infer<typeof BgNbdStandardErrors>;

export const BgNbdFit = z.object({
  parameters: BgNbdParameters,
  /** From the observed information; null when the Hessian at the optimum is not positive definite. */
  standardErrors: BgNbdStandardErrors.nullable(),
  /** The maximised log-likelihood (the sum over customers, weighted by count). */
  logLikelihood: z.number(),
  converged: z.boolean(),
  iterations: z.number().int().min(0),
});
export type BgNbdFit = z.infer<typeof BgNbdFit>;

/** What BG/NBD reads of a summary: the value is Gamma-Gamma's. */
export type PurchaseHistory = Pick<RepeatSummary, 'x' | 'tx' | 'T'>;
type WeightedHistory = PurchaseHistory & Pick<RepeatSummary, 'count'>;

const logAddExp = (left: number, right: number): number => {
  const high = Math.max(left, right);
  if (high === Number.NEGATIVE_INFINITY) return high;
  return high + Math.log(Math.exp(left - high) + Math.exp(right - high));
};

// BG/NBD only reads x, tx and T: customers who differ by value alone are one term.
const groupHistories = (summaries: readonly WeightedHistory[]): WeightedHistory[] => {
  const groups = new Map<string, WeightedHistory>();
  for (const { x, tx, T, count } of summaries) {
    const key = `${x}|${tx}|${T}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { x, tx, T, count });
    else group.count += count;
  }
  return [...groups.values()];
};

/**
 * The log-likelihood of the summaries (FHL 2005), each weighted
 * by its count:
 *
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+tₓ)^−(r+x) ]
 *
 * in log-gamma terms, the two-term sum by log-sum-exp, so neither large x
 * nor large T overflows.
 */
export const bgNbdLogLikelihood = (
  params: BgNbdParameters,
  summaries: readonly WeightedHistory[],
): number => {
  const { r, alpha, a, b } = params;
  const shared = r * Math.log(alpha) - gammaln(r) + gammaln(a + b) - gammaln(b);
  // The gamma terms depend on x alone, and summaries share few distinct x.
  const byX = new Map<number, number>();
  const gammaTerms = (x: number): number => {
    let value = byX.get(x);
    if (value === undefined) {
      value = shared + gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x);
      byX.set(x, value);
    }
    return value;
  };
  let total = 0;
  for (const { x, tx, T, count } of summaries) {
    const stillAlive = -(r + x) * Math.log(alpha + T);
    const droppedOut =
      x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : Number.NEGATIVE_INFINITY;
    total += count * (gammaTerms(x) + logAddExp(stillAlive, droppedOut));
  }
  return total;
};

export interface FitOptions<Parameters> {
  /** Where the search starts; by default a start scaled to the data. */
  start?: Parameters;
  /** Iteration cap of each Nelder–Mead run (there are two: a search and a restart from its answer). */
  maxIterations?: number;
}

const fromLog = ([r, alpha, a, b]: readonly number[]): BgNbdParameters => ({
  r: Math.exp(r ?? Number.NaN),
  alpha: Math.exp(alpha ?? Number.NaN),
  a: Math.exp(a ?? Number.NaN),
  b: Math.exp(b ?? Number.NaN),
});

/**
 * Maximum-likelihood BG/NBD parameters. The search runs over the logarithms
 * of the parameters, which keeps them positive without constraints and makes
 * α's unit (weeks or days) a shift rather than a rescaling. Nelder–Mead can
 * stop early on a long valley, so it is restarted once from its answer; the
 * fit has converged when that restart does.
 *
 * The default start is r = 1, a = 1, b = 1 and α = ΣT ÷ Σx: with r = 1 the
 * mean purchase rate r/α then equals the base's repeat purchases per unit of
 * time, which puts α on the data's time scale.
 */
export const fitBgNbd = (
  summaries: readonly WeightedHistory[],
  options: FitOptions<BgNbdParameters> = {},
): BgNbdFit => {
  const histories = groupHistories(summaries);
  const repeats = histories.reduce((sum, { x, count }) => sum + x * count, 0);
  const exposure = histories.reduce((sum, { T, count }) => sum + T * count, 0);
  if (repeats === 0 || exposure === 0) {
    throw new NoRepeatPurchasesError('BG/NBD needs at least one repeat purchase and some time to fit');
  }
  const start = BgNbdParameters.parse(options.start ?? { r: 1, alpha: exposure / repeats, a: 1, b: 1 });
  const objective = (logParameters: readonly number[]): number =>
    -bgNbdLogLikelihood(fromLog(logParameters), histories) +
    logPrior([logParameters[0] ?? 0, logParameters[2] ?? 0, logParameters[3] ?? 0]);
  const x0 = [start.r, start.alpha, start.a, start.b].map(Math.log);
  const search = minimize(objective, x0, { initialStep: 0.5, maxIterations: options.maxIterations });
  const restart = minimize(objective, search.x, { initialStep: 0.05, maxIterations: options.maxIterations });
  const errors = standardErrorsOfLogParameters(objective, restart.x);
  return {
    parameters: fromLog(restart.x),
    standardErrors: errors === undefined ? null : fromErrors(errors),
    logLikelihood: bgNbdLogLikelihood(fromLog(restart.x), histories),
    converged: restart.converged,
    iterations: search.iterations + restart.iterations,
  };
};

const fromErrors = ([r, alpha, a, b]: readonly number[]): BgNbdStandardErrors => ({
  r: r ?? Number.NaN,
  alpha: alpha ?? Number.NaN,
  a: a ?? Number.NaN,
  b: b ?? Number.NaN,
});

const checkHorizon = (t: number): void => {
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be a finite time ≥ 0 (got ${t})`);
};

// Near a = 1 the expectations are 0/0 (the bracket vanishes with a − 1) yet smooth
// in a; there they are the mean of the values at a = 1 ± this: off by O(1e-12) for
// the curvature, and by about 1e-10 relative for the cancellation at that distance.
const NEAR_ONE = 1e-6;

/**
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]:
 * the expected purchases in (T, T + t] of a customer alive at T with x repeat
 * purchases, before weighting by their chance of being alive. With x = 0 and
 * T = 0 it is the unconditional E[X(t)].
 */
const aliveExpectation = (params: BgNbdParameters, x: number, T: number, t: number): number => {
  if (t === 0) return 0;
  if (Math.abs(params.a - 1) >= NEAR_ONE) return aliveExpectationClosedForm(params, x, T, t);
  return (
    (aliveExpectationClosedForm({ ...params, a: 1 - NEAR_ONE }, x, T, t) +
      aliveExpectationClosedForm({ ...params, a: 1 + NEAR_ONE }, x, T, t)) /
    2
  );
};

const aliveExpectationClosedForm = (params: BgNbdParameters, x: number, T: number, t: number): number => {
  const { r, alpha, a, b } = params;
  const zArgument = t / (alpha + T + t);
  const logPowered = (r + x) * Math.log1p(-zArgument) + logHyp2f1(r + x, b + x, a + b + x - 1, zArgument);
  return ((a + b + x - 1) / (a - 1)) * -Math.expm1(logPowered);
};

/** E[X(t)]: the expected repeat purchases of a new customer in the t units after their first purchase (FHL 2005). */
export const expectedRepeatPurchases = (params: BgNbdParameters, t: number): number => {
  checkHorizon(t);
  return aliveExpectation(params, 0, 0, t);
};

/**
 * The chance a customer with this history is still alive at T (Fader,
 * Hardie and Lee, "Computing P(alive) using the BG/NBD model"):
 *
 *   P(alive) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))
 *
 * By the model's definition a customer who has made no repeat purchase cannot
 * have dropped out yet (dropping out happens just after a purchase), so it is
 * 1 for x = 0 however old they are.
 */
export const probabilityAlive = (params: BgNbdParameters, history: PurchaseHistory): number => {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = history;
  if (x === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
};

/**
 * E[Y(t) | x, tₓ, T]: the expected purchases in the next t units of a
 * customer with this history (FHL 2005, equation 10):
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   ÷ [1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)]
 *
 * The power and ₂F₁ are multiplied in logarithms, so heavy buyers over long
 * horizons do not overflow.
 */
export const conditionalExpectedPurchases = (
  params: BgNbdParameters,
  history: PurchaseHistory,
  t: number,
): number => {
  checkHorizon(t);
  return aliveExpectation(params, history.x, history.T, t) * probabilityAlive(params, history);
};
