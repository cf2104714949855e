import { z } from 'zod';
import { BgNbdFit, conditionalExpectedPurchases, fitBgNbd, probabilityAlive } from './bg-nbd.js';
import {
  conditionalExpectedOrderValue,
  fitGammaGamma,
  GammaGammaFit,
  isValuedRepeatCustomer,
} from './gamma-gamma.js';
import { daysPerUnit, type RepeatSummary, TimeUnit } from './repeat-summary.js';

/**
 * The fitted value models of a customer base, BG/NBD for how often customers
 * buy and Gamma-Gamma for what they spend, and what one customer gets from
 * them: the chance they are still a customer, purchases expected over the next
 * 90 and 365 days, the expected order value and a discounted CLV.
 */

/** Below this many repeat customers the fits are too noisy to beat the heuristic CLV. */
export const MIN_REPEAT_CUSTOMERS = 200;

/** A fit as stored: both models, with the unit their times (and α) are in. */
export const ValueModelFit = z.object({
  fittedAt: z.iso.datetime(),
  /** The unit of the summaries it was fitted on; a customer's summary must use it too. */
  unit: TimeUnit,
  /** Customers it was fitted on (summary counts added up). */
  customers: z.number().int().min(0),
  /** Of them, those with at least one repeat purchase (x > 0). */
  repeatCustomers: z.number().int().min(0),
  bgnbd: BgNbdFit,
  gammaGamma: GammaGammaFit,
});
export type ValueModelFit = z.infer<typeof ValueModelFit>;

/**
 * What fitting gave. Anything but `fitted` means: keep the heuristic CLV.
 * - `too-few`: fewer repeat customers (or repeat customers with a positive
 *   mean value, which Gamma-Gamma is fitted on) than `needed`.
 * - `not-converged`: a fit hit its iteration cap; `detail` says which.
 * - `unusable`: both converged, but Gamma-Gamma's q ≤ 1 makes the mean order
 *   value infinite, so customers without repeat purchases have no value.
 */
export const ValueModelOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('fitted'), fit: ValueModelFit }),
  z.object({
    status: z.literal('too-few'),
    repeatCustomers: z.number().int().min(0),
    valuedRepeatCustomers: z.number().int().min(0),
    needed: z.number().int().min(1),
  }),
  z.object({
    status: z.literal('not-converged'),
    detail: z.string(),
    bgnbd: BgNbdFit,
    gammaGamma: GammaGammaFit,
  }),
  z.object({ status: z.literal('unusable'), detail: z.string(), bgnbd: BgNbdFit, gammaGamma: GammaGammaFit }),
]);
export type ValueModelOutcome = z.infer<typeof ValueModelOutcome>;

export const ValueModelOptions = z.object({
  unit: TimeUnit,
  minRepeatCustomers: z.number().int().min(1).default(MIN_REPEAT_CUSTOMERS),
  now: z.date(),
  /** Caps each Nelder–Mead run of each fit (they have their own defaults). */
  maxIterations: z.number().int().min(1).optional(),
});
export type ValueModelOptions = z.input<typeof ValueModelOptions>;

const countWhere = (summaries: readonly RepeatSummary[], keep: (summary: RepeatSummary) => boolean): number =>
  summaries.reduce((sum, summary) => (keep(summary) ? sum + summary.count : sum), 0);

/**
 * Fits BG/NBD and Gamma-Gamma to the summaries (times in `unit`), when there
 * are enough repeat customers for them. Summaries may be de-duplicated with
 * counts (compressSummaries) or one per customer; the answer is the same.
 */
export const fitValueModels = (
  summaries: readonly RepeatSummary[],
  options: ValueModelOptions,
): ValueModelOutcome => {
  const { unit, minRepeatCustomers, now, maxIterations } = ValueModelOptions.parse(options);
  const repeatCustomers = countWhere(summaries, ({ x }) => x > 0);
  const valuedRepeatCustomers = countWhere(summaries, isValuedRepeatCustomer);
  if (repeatCustomers < minRepeatCustomers || valuedRepeatCustomers < minRepeatCustomers) {
    return { status: 'too-few', repeatCustomers, valuedRepeatCustomers, needed: minRepeatCustomers };
  }
  const bgnbd = fitBgNbd(summaries, { maxIterations });
  const gammaGamma = fitGammaGamma(summaries, { maxIterations });
  const unconverged = [
    ...(bgnbd.converged ? [] : [`BG/NBD did not converge in ${bgnbd.iterations} iterations`]),
    ...(gammaGamma.converged ? [] : [`Gamma-Gamma did not converge in ${gammaGamma.iterations} iterations`]),
  ];
  if (unconverged.length > 0)
    return { status: 'not-converged', detail: unconverged.join('; '), bgnbd, gammaGamma };
  if (!(gammaGamma.parameters.q > 1)) {
    return {
      status: 'unusable',
      detail: `Gamma-Gamma's q is ${gammaGamma.parameters.q}: the mean order value p·γ/(q − 1) is infinite unless q > 1`,
      bgnbd,
      gammaGamma,
    };
  }
  return {
    status: 'fitted',
    fit: {
      fittedAt: now.toISOString(),
      unit,
      customers: countWhere(summaries, () => true),
      repeatCustomers,
      bgnbd,
      gammaGamma,
    },
  };
};

export const CustomerValueOptions = z.object({
  /** How far ahead the CLV looks, in days (e.g. 1095 for about three years). */
  horizonDays: z.number().positive().max(36_525),
  /** The yearly discount rate of money (0.1 for 10%); 0 for none. */
  annualDiscountRate: z.number().min(0).max(10),
});
export type CustomerValueOptions = z.infer<typeof CustomerValueOptions>;

export const FittedCustomerValue = z.object({
  /** The chance the customer is still a customer (BG/NBD). */
  pAlive: z.number().min(0).max(1),
  /** Purchases expected over the next 90 days. */
  expectedPurchases90: z.number().min(0),
  /** Purchases expected over the next 365 days. */
  expectedPurchases365: z.number().min(0),
  /** The expected value of one order (Gamma-Gamma), in the money unit of meanValue. */
  expectedOrderValue: z.number().min(0),
  /** Discounted value over the horizon, in the money unit of meanValue (unrounded). */
  clv: z.number().min(0),
});
export type FittedCustomerValue = z.infer<typeof FittedCustomerValue>;

const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

/**
 * What the fitted models say of one customer. The summary's times must be in
 * `fit.unit`; 90 and 365 days are converted to it.
 *
 * CLV adds up month by month the purchases expected in that month, valued at
 * the expected order value and discounted to today:
 *
 *   CLV = Σ_{m=1}^{M} (E[Y(tₘ)] − E[Y(tₘ₋₁)]) · E[Z] ÷ (1 + d)^(tₘ / 1 year)
 *
 * where E[Y(t)] is BG/NBD's conditional expectation (FHL 2005, equation 10)
 * over the next t, E[Z] Gamma-Gamma's conditional expected order value, d the
 * annual discount rate, months are 365.25/12 days, tₘ = min(m months, horizon)
 * (so a horizon that is not a whole number of months ends with a part month)
 * and M the number of months needed to reach the horizon. For a horizon of
 * whole months it is Σₘ … ÷ (1 + d)^(m/12). Money stays in meanValue's unit:
 * the product uses minor units and the caller rounds.
 */
export const fittedCustomerValue = (
  fit: ValueModelFit,
  summary: Pick<RepeatSummary, 'x' | 'tx' | 'T' | 'meanValue'>,
  options: CustomerValueOptions,
): FittedCustomerValue => {
  const { horizonDays, annualDiscountRate } = CustomerValueOptions.parse(options);
  const params = fit.bgnbd.parameters;
  const perUnit = daysPerUnit[fit.unit];
  const expectedWithin = (days: number): number =>
    conditionalExpectedPurchases(params, summary, days / perUnit);
  const expectedOrderValue = conditionalExpectedOrderValue(fit.gammaGamma.parameters, summary);

  let clv = 0;
  let before = 0;
  const months = Math.ceil(horizonDays / DAYS_PER_MONTH);
  for (let month = 1; month <= months; month += 1) {
    const days = Math.min(month * DAYS_PER_MONTH, horizonDays);
    const expected = expectedWithin(days);
    clv += ((expected - before) * expectedOrderValue) / (1 + annualDiscountRate) ** (days / DAYS_PER_YEAR);
    before = expected;
  }
  return {
    pAlive: probabilityAlive(params, summary),
    expectedPurchases90: expectedWithin(90),
    expectedPurchases365: expectedWithin(365),
    expectedOrderValue,
    clv,
  };
};
