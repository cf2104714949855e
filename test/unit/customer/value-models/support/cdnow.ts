import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type OrderRow, parseOrderHistory } from '../../../../../lib/domain/order-history.js';
import { type CustomerRepeatSummary, summariesFromOrders } from '../../../../../lib/domain/repeat-summary.js';

/** The CDNOW sample's calibration ends on this day and its holdout on the next date (weeks 40–78). */
export const CALIBRATION_END = '1997-09-30';
export const HOLDOUT_END = '1998-06-30';
/** 1997-10-01 to 1998-06-30: 273 days. */
export const HOLDOUT_WEEKS = 39;

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../fixtures/cdnow/${name}`, import.meta.url), 'utf8');

let orders: OrderRow[] | undefined;
/** The 6,919 transaction records of the 2,357 sampled customers. */
export const cdnowOrders = (): OrderRow[] => {
  orders ??= parseOrderHistory(fixture('cdnow_sample_orders.csv'));
  return orders;
};

let summaries: CustomerRepeatSummary[] | undefined;
/** Every customer's summary in weeks as of 1997-09-30, with the holdout's actual purchases. */
export const cdnowSummaries = (): CustomerRepeatSummary[] => {
  summaries ??= summariesFromOrders(cdnowOrders(), {
    asOf: CALIBRATION_END,
    until: HOLDOUT_END,
    unit: 'week',
  });
  return summaries;
};

const PublishedSummary = z.object({
  id: z.coerce.number().int().positive(),
  x: z.coerce.number().int().min(0),
  tx: z.coerce.number(),
  T: z.coerce.number(),
  zbar: z.coerce.number(),
});
export type PublishedSummary = z.infer<typeof PublishedSummary>;

/** `cdnow_sample_summary.csv`: the literature's summary, IDs 1–2,357, numbers to two decimals. */
export const publishedSummaries = (): PublishedSummary[] => {
  const [header, ...lines] = fixture('cdnow_sample_summary.csv').trim().split(/\r?\n/);
  if (header !== 'ID,x,t_x,T,zbar') throw new Error(`unexpected header ${header}`);
  return lines.map((line) => {
    const [id, x, tx, T, zbar] = line.split(',');
    return PublishedSummary.parse({ id, x, tx, T, zbar });
  });
};
