import { z } from 'zod';
import type { OrderRow } from './order-history.js';

/**
 * What the "buy till you die" models know of a customer: the repeat
 * purchases after the first one, as of the end of a calibration period. All
 * times are in one unit (`TimeUnit`) and start at the customer's first
 * purchase.
 */

/** Weeks (days ÷ 7, the literature's CDNOW unit) or days. */
export const TimeUnit = z.enum(['week', 'day']);
export type TimeUnit = z.infer<typeof TimeUnit>;

export const daysPerUnit: Record<TimeUnit, number> = { week: 7, day: 1 };

const repeatSummaryShape = {
  /** Repeat purchases: purchase days after the first one, up to the end of calibration. */
  x: z.number().int().min(0),
  /** Time of the last repeat purchase since the first purchase; 0 when x = 0. */
  tx: z.number().min(0),
  /** The customer's age at the end of calibration: time since the first purchase. */
  T: z.number().min(0),
  /** Mean value of the repeat purchases (the first is left out, as the models expect); 0 when x = 0. */
  meanValue: z.number().min(0),
  /**
   * How many customers share exactly these numbers. Fits take weighted,
   * de-duplicated summaries: a million one-purchase customers with day
   * ages are a few hundred likelihood terms, not a million.
   */
  count: z.number().int().positive(),
};

const consistent = (
  summary: { x: number; tx: number; T: number; meanValue: number },
  context: z.RefinementCtx,
) => {
  if (summary.tx > summary.T) {
    context.addIssue({ code: 'custom', path: ['tx'], message: `tx ${summary.tx} is after T ${summary.T}` });
  }
  if (summary.x === 0 && summary.tx !== 0) {
    context.addIssue({ code: 'custom', path: ['tx'], message: 'must be 0 when x is 0 (no repeat purchase)' });
  }
  if (summary.x === 0 && summary.meanValue !== 0) {
    context.addIssue({
      code: 'custom',
      path: ['meanValue'],
      message: 'must be 0 when x is 0 (no repeat purchase)',
    });
  }
};

export const RepeatSummary = z.object(repeatSummaryShape).superRefine(consistent);
export type RepeatSummary = z.infer<typeof RepeatSummary>;

/** One customer's summary as read from orders (`count` is 1). */
export const CustomerRepeatSummary = z
  .object({
    ...repeatSummaryShape,
    customerId: z.string().min(1),
    /** The day of the first purchase, `YYYY-MM-DD`: where the customer's clock starts. */
    firstPurchase: z.iso.date(),
    /** Purchase days after asOf up to and including `until`; present when `until` was given. */
    actual: z.number().int().min(0).optional(),
  })
  .superRefine(consistent);
export type CustomerRepeatSummary = z.infer<typeof CustomerRepeatSummary>;

/** A fit asked of data without the repeat purchases it estimates from. */
export class NoRepeatPurchasesError extends Error {
  override readonly name = 'NoRepeatPurchasesError';
}

/** asOf / until that cannot bound a calibration and holdout period. */
export class InvalidPeriodError extends Error {
  override readonly name = 'InvalidPeriodError';
}

/**
 * Groups identical summaries (same x, tx, T and meanValue), adding their
 * counts, in order of first appearance.
 */
export const compressSummaries = (list: readonly RepeatSummary[]): RepeatSummary[] => {
  const groups = new Map<string, RepeatSummary>();
  for (const summary of list) {
    const key = `${summary.x}|${summary.tx}|${summary.T}|${summary.meanValue}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        x: summary.x,
        tx: summary.tx,
        T: summary.T,
        meanValue: summary.meanValue,
        count: summary.count,
      });
    } else {
      group.count += summary.count;
    }
  }
  return [...groups.values()];
};

export interface SummaryPeriod {
  /** The last day of calibration, `YYYY-MM-DD`, included. */
  asOf: string;
  /** The last day of the holdout, `YYYY-MM-DD`, included; when given, each summary gets `actual`. */
  until?: string;
  unit: TimeUnit;
}

// Code-unit order, not the locale's: the same on every machine.
const compareText = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

const IsoDay = z.iso.date();

const dayNumber = (isoDate: string, field: string): number => {
  if (!IsoDay.safeParse(isoDate).success) {
    throw new InvalidPeriodError(`${field} "${isoDate}" is not a calendar day written YYYY-MM-DD`);
  }
  // Date.parse of the full form, not Date.UTC, which reads years 0–99 as 1900–1999.
  return Date.parse(`${isoDate}T00:00:00.000Z`) / 86_400_000;
};

/**
 * Each customer's repeat summary as of the end of `asOf`, from their orders.
 *
 * - Orders on the same customer-day are one purchase, their amounts summed.
 * - A customer belongs if their first purchase is on or before asOf.
 * - x counts the purchase days after the first, on or before asOf; meanValue
 *   is the mean amount of those days.
 * - Times are whole days between calendar dates, divided by the unit's days:
 *   tx = last repeat day − first day, T = asOf − first day. So T runs to the
 *   START of asOf's day although purchases on asOf count (one then has
 *   tx = T). This is the convention of the CDNOW literature's summary (and
 *   of the `lifetimes` library): with it the 2,357 customers' x, t_x and T
 *   equal `cdnow_sample_summary.csv` as of 1997-09-30, where T to the end of
 *   asOf's day would make every T one day (0.14 weeks) longer.
 * - With `until`, `actual` counts purchase days after asOf up to and
 *   including until.
 *
 * Customers come ordered by first purchase, then id: the order in which the
 * CDNOW sample numbers its customers.
 */
export const summariesFromOrders = (
  rows: readonly OrderRow[],
  { asOf, until, unit }: SummaryPeriod,
): CustomerRepeatSummary[] => {
  const end = dayNumber(asOf, 'asOf');
  const holdoutEnd = until === undefined ? undefined : dayNumber(until, 'until');
  if (holdoutEnd !== undefined && holdoutEnd < end) {
    throw new InvalidPeriodError(`until ${until} is before asOf ${asOf}`);
  }
  const perUnit = daysPerUnit[unit];

  const days = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const day = dayNumber(row.date, `the order date of ${row.customerId}`);
    let customer = days.get(row.customerId);
    if (customer === undefined) {
      customer = new Map();
      days.set(row.customerId, customer);
    }
    customer.set(day, (customer.get(day) ?? 0) + row.amount);
  }

  const summaries: CustomerRepeatSummary[] = [];
  for (const [customerId, amounts] of days) {
    const purchaseDays = [...amounts.keys()].sort((left, right) => left - right);
    const first = purchaseDays[0];
    if (first === undefined || first > end) continue;
    const repeats = purchaseDays.filter((day) => day > first && day <= end);
    const last = repeats.at(-1);
    const repeatValue = repeats.reduce((sum, day) => sum + (amounts.get(day) ?? 0), 0);
    summaries.push({
      customerId,
      firstPurchase: new Date(first * 86_400_000).toISOString().slice(0, 10),
      x: repeats.length,
      tx: last === undefined ? 0 : (last - first) / perUnit,
      T: (end - first) / perUnit,
      meanValue: repeats.length === 0 ? 0 : repeatValue / repeats.length,
      count: 1,
      ...(holdoutEnd === undefined
        ? {}
        : { actual: purchaseDays.filter((day) => day > end && day <= holdoutEnd).length }),
    });
  }
  return summaries.sort(
    (left, right) =>
      compareText(left.firstPurchase, right.firstPurchase) || compareText(left.customerId, right.customerId),
  );
};
