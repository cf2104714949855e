import { conditionalExpectedPurchases } from './bg-nbd.js';
import { heuristicPurchasesWithin, type RfmBaseCustomer, rfmThresholds } from './customer-value.js';
import { daysPerUnit, type RepeatSummary, type TimeUnit } from './repeat-summary.js';
import type { ValueModelFit } from './value-model.js';

/**
 * What a base of customers is expected to buy over a holdout window after the
 * end of calibration, by the fitted models and by the heuristic they replace,
 * so both can be held against what the customers did buy (docs/customer-value.md).
 */

const DAY_MS = 86_400_000;

/** Σ over the customers of BG/NBD's conditional expectation (FHL 2005, equation 10) over the next `days`. */
export const fittedForecast = (
  fit: Pick<ValueModelFit, 'bgnbd' | 'unit'>,
  summaries: readonly RepeatSummary[],
  days: number,
): number => {
  const t = days / daysPerUnit[fit.unit];
  return summaries.reduce(
    (sum, summary) => sum + summary.count * conditionalExpectedPurchases(fit.bgnbd.parameters, summary, t),
    0,
  );
};

/**
 * Σ over the customers of the purchases the heuristic expects over the next
 * `days`, with each customer's card as of `asOf` rebuilt from their summary
 * (x + 1 purchases from the first to the last repeat) and the base's median
 * interval taken from those cards, as the daily refresh takes it.
 */
export const heuristicForecast = (
  summaries: readonly RepeatSummary[],
  { asOf, unit, days }: { asOf: Date; unit: TimeUnit; days: number },
): number => {
  const unitMs = daysPerUnit[unit] * DAY_MS;
  const cards = summaries.map((summary): RfmBaseCustomer & { count: number } => {
    const first = asOf.getTime() - summary.T * unitMs;
    return {
      orders: summary.x + 1,
      revenue: 0,
      firstPurchaseAt: new Date(first).toISOString(),
      lastPurchaseAt: new Date(first + summary.tx * unitMs).toISOString(),
      count: summary.count,
    };
  });
  const { medianIntervalDays } = rfmThresholds(
    cards.flatMap((card) => Array.from({ length: card.count }, () => card)),
    asOf,
  );
  return cards.reduce(
    (sum, card) => sum + card.count * heuristicPurchasesWithin(card, asOf, medianIntervalDays, days),
    0,
  );
};
