import { type OrdersBySource, ordersBySource } from '../domain/orders-by-source.js';
import type { Clock } from '../ports/clock.js';
import type { OrderLog } from '../ports/order-log.js';
import { inParallel } from './in-parallel.js';
import { statsDays } from './manage-journeys.js';

export interface OrdersBySourceDeps {
  orders: OrderLog;
  clock: Clock;
  /** The deployment's: what the report totals in. */
  currency: string;
}

export type OrdersBySourceAnswer = { from: string; to: string } & OrdersBySource;

/** Days read at once: each day is 16 index shards, and a quarter is 92 days. */
const dayConcurrency = 8;

/**
 * "Which medium brought the orders": every order placed in the range (the
 * journey stats' range rules: 30 days up to today by default, at most 92),
 * read as stored now so refunds since are netted out, grouped by the
 * customer's acquisition (UTM medium, source, campaign) and by the journey of
 * the last click before it.
 */
export const ordersBySourceReport = async (
  deps: OrdersBySourceDeps,
  query: unknown,
): Promise<OrdersBySourceAnswer> => {
  const days = statsDays(query, deps.clock.now());
  const perDay = await inParallel(days, dayConcurrency, (day) => deps.orders.placedOn(day));
  return { from: days[0] ?? '', to: days.at(-1) ?? '', ...ordersBySource(perDay.flat(), deps.currency) };
};
