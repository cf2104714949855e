import { z } from 'zod';
import { CurrencyCode, fromMinorUnits, rescaleMinorUnits } from './money.js';
import type { Order } from './order.js';

/** Orders, the customers who placed them, and what they were worth, all net of refunds. */
export const OrderTally = z.object({
  /** Orders not refunded in full. */
  orders: z.number().int().min(0),
  /** Distinct contacts among those orders. */
  customers: z.number().int().min(0),
  /** Revenue less what was refunded of it, in major units of the report's currency. */
  revenue: z.number(),
  /** What was refunded of these orders so far (fully refunded orders included), likewise. */
  refunded: z.number(),
});
export type OrderTally = z.infer<typeof OrderTally>;

/** The acquisition a customer came through: their signup's UTM tags; null where there were none. */
export const SourceRow = OrderTally.extend({
  medium: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
});
export type SourceRow = z.infer<typeof SourceRow>;

/** The journey whose mail was clicked last before the order, within the attribution window; null: none. */
export const JourneyRow = OrderTally.extend({ journeyId: z.string().nullable() });
export type JourneyRow = z.infer<typeof JourneyRow>;

export const OrdersBySource = z.object({
  /** The deployment's currency; an order in another is counted amount for amount. */
  currency: CurrencyCode,
  totals: OrderTally,
  bySource: z.array(SourceRow),
  byJourney: z.array(JourneyRow),
});
export type OrdersBySource = z.infer<typeof OrdersBySource>;

/** Sums in minor units of the report's currency, exact; shown in major units. */
class Tally {
  private orders = 0;
  private readonly customers = new Set<string>();
  private revenue = 0;
  private refunded = 0;

  constructor(private readonly currency: string) {}

  add(order: Order): void {
    const inReportCurrency = (minor: number) => rescaleMinorUnits(minor, order.currency, this.currency);
    const net = inReportCurrency(order.revenue - order.refunded);
    this.refunded += inReportCurrency(order.refunded);
    if (net <= 0) return;
    this.orders += 1;
    this.customers.add(order.contactId);
    this.revenue += net;
  }

  result(): OrderTally {
    return {
      orders: this.orders,
      customers: this.customers.size,
      revenue: fromMinorUnits(this.revenue, this.currency),
      refunded: fromMinorUnits(this.refunded, this.currency),
    };
  }
}

/** Tallies per key, in the order first seen; the key's parts come back with the tally. */
const grouped = <K>(
  orders: readonly Order[],
  currency: string,
  keyOf: (order: Order) => K,
): Array<K & OrderTally> => {
  const groups = new Map<string, { key: K; tally: Tally }>();
  for (const order of orders) {
    const key = keyOf(order);
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, tally: new Tally(currency) };
    group.tally.add(order);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key, tally }) => ({ ...key, ...tally.result() }));
};

/** Text keys ascending, none (null) last. */
const byText = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b);

const byValue = (a: OrderTally, b: OrderTally): number =>
  b.revenue - a.revenue || b.orders - a.orders || b.refunded - a.refunded;

/**
 * Where orders came from: per acquisition (the signup's UTM medium, source and
 * campaign, as kept on each order) and per journey (the last click's, within
 * the attribution window), each row with its orders, customers and revenue net
 * of refunds; highest revenue first. The totals count each customer once
 * however many rows they appear in.
 */
export const ordersBySource = (orders: readonly Order[], currency: string): OrdersBySource => {
  const totals = new Tally(currency);
  for (const order of orders) totals.add(order);
  const bySource = grouped(orders, currency, (order) => {
    const utm = order.source.acquisition?.utm;
    return { medium: utm?.medium ?? null, source: utm?.source ?? null, campaign: utm?.campaign ?? null };
  }).sort(
    (a, b) =>
      byValue(a, b) ||
      byText(a.medium, b.medium) ||
      byText(a.source, b.source) ||
      byText(a.campaign, b.campaign),
  );
  const byJourney = grouped(orders, currency, (order) => ({
    journeyId: order.source.journeyId ?? null,
  })).sort((a, b) => byValue(a, b) || byText(a.journeyId, b.journeyId));
  return { currency, totals: totals.result(), bySource, byJourney };
};
