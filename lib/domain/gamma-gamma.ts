import gammaln from '@stdlib/math-base-special-gammaln';
import { z } from 'zod';
import type { FitOptions } from './bg-nbd.js';
import { logPrior } from './log-prior.js';
import { minimize } from './nelder-mead.js';
import { NoRepeatPurchasesError, type RepeatSummary } from './repeat-summary.js';
import { standardErrorsOfLogParameters } from './standard-errors.js';

/**
 * The Gamma-Gamma model of order value (Colombo and Jiang 1999; Fader, Hardie
 * and Lee 2005, "RFM and CLV: using iso-value curves for customer base
 * analysis", Journal of Marketing Research 42(4)). A customer's order values
 * are Gamma(p, ν) around their own mean p/ν, and ν varies across customers as
 * Gamma(q, γ). It assumes value independent of purchase frequency, which the
 * caller can check (a correlation of x and meanValue near 0). γ is in the
 * money unit of the values; p and q have none.
 */

export const GammaGammaParameters = z.object({
  p: z.number().positive(),
  q: z.number().positive(),
  gamma: z.number().positive(),
});
export type GammaGammaParameters = z.infer<typeof GammaGammaParameters>;

export const GammaGammaStandardErrors = z.object({
  p: z.number().min(0),
  q: z.number().min(0),
  gamma: z.number().min(0),
});
export type GammaGammaStandardErrors = z.infer<typeof GammaGammaStandardErrors>;

export const GammaGammaFit = z.object({
  parameters: GammaGammaParameters,
  /** From the observed information; null when the Hessian at the optimum is not positive definite. */
  standardErrors: GammaGammaStandardErrors.nullable(),
  /** The maximised log-likelihood over the repeat customers with a positive mean value. */
  logLikelihood: z.number(),
  converged: z.boolean(),
  iterations: z.number().int().min(0),
});
export type GammaGammaFit = z.infer<typeof GammaGammaFit>;

/** What Gamma-Gamma reads of a summary. */
export type ValueHistory = Pick<RepeatSummary, 'x' | 'meanValue'>;
type WeightedValues = ValueHistory & Pick<RepeatSummary, 'count'>;

/** A population whose mean order value p·γ/(q − 1) is infinite (q ≤ 1): nothing to expect of a customer without repeats. */
export class InfiniteMeanValueError extends Error {
  override readonly name = 'InfiniteMeanValueError';
}

/**
 * The summaries the model is fitted on: repeat customers (x > 0) whose repeat
 * purchases have a positive mean. Gamma-distributed values are positive, so
 * repeat purchases worth nothing (free samples, fully discounted orders)
 * have no likelihood and are left out, as in the literature.
 */
export const isValuedRepeatCustomer = ({ x, meanValue }: ValueHistory): boolean => x > 0 && meanValue > 0;

const groupValues = (summaries: readonly WeightedValues[]): WeightedValues[] => {
  const groups = new Map<string, WeightedValues>();
  for (const { x, meanValue, count } of summaries) {
    if (!isValuedRepeatCustomer({ x, meanValue })) continue;
    const key = `${x}|${meanValue}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { x, meanValue, count });
    else group.count += count;
  }
  return [...groups.values()];
};

/**
 * The log-likelihood of the repeat customers' mean values z̄ given x, each
 * weighted by its count (other summaries contribute nothing):
 *
 *   ln f(z̄ | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄)
 */
export const gammaGammaLogLikelihood = (
  params: GammaGammaParameters,
  summaries: readonly WeightedValues[],
): number => {
  const { p, q, gamma } = params;
  const shared = q * Math.log(gamma) - gammaln(q);
  const byX = new Map<number, number>();
  const xTerms = (x: number): number => {
    let value = byX.get(x);
    if (value === undefined) {
      value = shared + gammaln(p * x + q) - gammaln(p * x) + p * x * Math.log(x);
      byX.set(x, value);
    }
    return value;
  };
  let total = 0;
  for (const { x, meanValue, count } of summaries) {
    if (!isValuedRepeatCustomer({ x, meanValue })) continue;
    total +=
      count * (xTerms(x) + (p * x - 1) * Math.log(meanValue) - (p * x + q) * Math.log(gamma + x * meanValue));
  }
  return total;
};

const fromLog = ([p, q, gamma]: readonly number[]): GammaGammaParameters => ({
  p: Math.exp(p ?? Number.NaN),
  q: Math.exp(q ?? Number.NaN),
  gamma: Math.exp(gamma ?? Number.NaN),
});

/**
 * Maximum-likelihood Gamma-Gamma parameters over the valued repeat
 * customers, searched over the parameters' logarithms like BG/NBD (and
 * restarted once). The default start p = 1, q = 2, γ = the mean of the
 * customers' mean values makes the population mean p·γ/(q−1) the observed
 * one, which puts γ on the money's scale whatever unit it is in.
 */
export const fitGammaGamma = (
  summaries: readonly WeightedValues[],
  options: FitOptions<GammaGammaParameters> = {},
): GammaGammaFit => {
  const values = groupValues(summaries);
  const customers = values.reduce((sum, { count }) => sum + count, 0);
  if (customers === 0) {
    throw new NoRepeatPurchasesError(
      'Gamma-Gamma needs at least one repeat customer with a positive mean value',
    );
  }
  const meanOfMeans = values.reduce((sum, { meanValue, count }) => sum + meanValue * count, 0) / customers;
  const start = GammaGammaParameters.parse(options.start ?? { p: 1, q: 2, gamma: meanOfMeans });
  const objective = (logParameters: readonly number[]): number =>
    -gammaGammaLogLikelihood(fromLog(logParameters), values) +
    logPrior([logParameters[0] ?? 0, logParameters[1] ?? 0]);
  const x0 = [start.p, start.q, start.gamma].map(Math.log);
  const search = minimize(objective, x0, { initialStep: 0.5, maxIterations: options.maxIterations });
  const restart = minimize(objective, search.x, { initialStep: 0.05, maxIterations: options.maxIterations });
  const errors = standardErrorsOfLogParameters(objective, restart.x);
  const [pError, qError, gammaError] = errors ?? [];
  return {
    parameters: fromLog(restart.x),
    standardErrors:
      pError === undefined || qError === undefined || gammaError === undefined
        ? null
        : { p: pError, q: qError, gamma: gammaError },
    logLikelihood: gammaGammaLogLikelihood(fromLog(restart.x), values),
    converged: restart.converged,
    iterations: search.iterations + restart.iterations,
  };
};

/** The population's mean order value p·γ/(q − 1), finite only when q > 1. */
export const populationMeanOrderValue = (params: GammaGammaParameters): number => {
  const { p, q, gamma } = params;
  if (!(q > 1)) {
    throw new InfiniteMeanValueError(`q is ${q}: the mean order value p·γ/(q − 1) is infinite unless q > 1`);
  }
  return (p * gamma) / (q - 1);
};

/**
 * E[Z | x, z̄]: a customer's expected order value (FHL 2005, "RFM and CLV"):
 *
 *   (p(γ + x z̄)) / (px + q − 1)
 *     = (q−1)/(px+q−1) · p·γ/(q−1)  +  px/(px+q−1) · z̄
 *
 * a weighted mean of the population's mean and the customer's own, which
 * earns more weight with every repeat purchase. With x = 0 it is the
 * population's mean, p·γ/(q − 1), which needs q > 1 (InfiniteMeanValueError
 * otherwise, as for px + q ≤ 1).
 */
export const conditionalExpectedOrderValue = (
  params: GammaGammaParameters,
  history: ValueHistory,
): number => {
  const { p, q, gamma } = params;
  const { x, meanValue } = history;
  if (x === 0) return populationMeanOrderValue(params);
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) {
    throw new InfiniteMeanValueError(`px + q − 1 is ${denominator}: the expected order value is infinite`);
  }
  return (p * (gamma + x * meanValue)) / denominator;
};
