import { fittedForecast, heuristicForecast } from './holdout-forecast.js';
import type { OrderRow } from './order-history.js';
import { compressSummaries, summariesFromOrders, type TimeUnit } from './repeat-summary.js';
import { fitValueModels, MIN_REPEAT_CUSTOMERS, type ValueModelOutcome } from './value-model.js';

/**
 * `rapport models fit`: both value models fitted on an order history as of a
 * day, and with a holdout, what they (and the heuristic) expected of the same
 * customers after it against what they bought.
 */

const DAY_MS = 86_400_000;

export interface HoldoutFigures {
  /** The first and last day of the holdout, both included. */
  from: string;
  until: string;
  days: number;
  /** Repeat transactions expected by BG/NBD (Σ of equation 10), by the heuristic, and made. */
  predicted: number;
  heuristic: number;
  /** Absent when the history has no order after asOf (then there is nothing to compare with). */
  actual?: number;
}

export interface ModelReport {
  asOf: string;
  unit: TimeUnit;
  customers: number;
  outcome: ValueModelOutcome;
  holdout?: HoldoutFigures;
}

const dayAfter = (isoDay: string): string => new Date(Date.parse(isoDay) + DAY_MS).toISOString().slice(0, 10);

export const modelReport = (
  rows: readonly OrderRow[],
  options: { asOf: string; until?: string; unit: TimeUnit; minRepeatCustomers?: number; now: Date },
): ModelReport => {
  const { asOf, until, unit } = options;
  const summaries = summariesFromOrders(rows, { asOf, unit, ...(until === undefined ? {} : { until }) });
  const outcome = fitValueModels(compressSummaries(summaries), {
    unit,
    now: options.now,
    minRepeatCustomers: options.minRepeatCustomers ?? MIN_REPEAT_CUSTOMERS,
  });
  const base = { asOf, unit, customers: summaries.length, outcome };
  if (until === undefined || outcome.status !== 'fitted') return base;
  const days = (Date.parse(until) - Date.parse(asOf)) / DAY_MS;
  const hasLaterOrders = rows.some((row) => row.date > asOf);
  const actual = summaries.reduce((sum, summary) => sum + (summary.actual ?? 0), 0);
  return {
    ...base,
    holdout: {
      from: dayAfter(asOf),
      until,
      days,
      predicted: fittedForecast(outcome.fit, summaries, days),
      heuristic: heuristicForecast(summaries, { asOf: new Date(`${asOf}T00:00:00.000Z`), unit, days }),
      ...(hasLaterOrders ? { actual } : {}),
    },
  };
};

export interface HoldoutWeek {
  /** Weeks since asOf. */
  week: number;
  /** Cumulative repeat transactions by the end of the week: made, expected by BG/NBD and by the heuristic. */
  actual: number;
  predicted: number;
  heuristic: number;
}

/**
 * Week by week through the holdout, the cumulative repeat transactions the
 * customers known at asOf made against what each model expected of them: the
 * chart in docs/customer-value.md. The last week may be a part week, ending on `until`.
 */
export const holdoutWeeks = (
  rows: readonly OrderRow[],
  options: { asOf: string; until: string; unit: TimeUnit; now: Date },
): HoldoutWeek[] => {
  const { asOf, until, unit } = options;
  const fitted = fitValueModels(compressSummaries(summariesFromOrders(rows, { asOf, unit })), {
    unit,
    now: options.now,
  });
  if (fitted.status !== 'fitted') return [];
  const totalDays = (Date.parse(until) - Date.parse(asOf)) / DAY_MS;
  const weeks: HoldoutWeek[] = [];
  for (let week = 1; (week - 1) * 7 < totalDays; week += 1) {
    const days = Math.min(week * 7, totalDays);
    const end = new Date(Date.parse(asOf) + days * DAY_MS).toISOString().slice(0, 10);
    const summaries = summariesFromOrders(rows, { asOf, until: end, unit });
    weeks.push({
      week,
      actual: summaries.reduce((sum, summary) => sum + (summary.actual ?? 0), 0),
      predicted: fittedForecast(fitted.fit, summaries, days),
      heuristic: heuristicForecast(summaries, { asOf: new Date(`${asOf}T00:00:00.000Z`), unit, days }),
    });
  }
  return weeks;
};
