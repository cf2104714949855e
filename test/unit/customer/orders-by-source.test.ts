import { describe, expect, it } from 'vitest';
import { toMinorUnits } from '../../../lib/domain/money.js';
import type { Order } from '../../../lib/domain/order.js';
import { ordersBySource } from '../../../lib/domain/orders-by-source.js';

/** An order of `revenue` (major units, as the shop sent it), stored in minor units. */
const anOrder = (
  orderId: string,
  contactId: string,
  revenue: number,
  source: Partial<Order['source']> = {},
  refunded = 0,
  currency = 'EUR',
): Order => ({
  orderId,
  contactId,
  at: '2026-11-20T10:00:00.000Z',
  revenue: toMinorUnits(revenue, currency),
  total: toMinorUnits(revenue, currency),
  currency,
  refunded: toMinorUnits(refunded, currency),
  lines: [{ sku: 'BOOK-1', price: toMinorUnits(revenue, currency), quantity: 1 }],
  source: { channel: 'api', ...source },
});

const from = (medium?: string, source?: string, campaign?: string): Partial<Order['source']> => ({
  acquisition: {
    form: 'newsletter',
    at: '2026-01-01T00:00:00.000Z',
    utm: {
      ...(medium === undefined ? {} : { medium }),
      ...(source === undefined ? {} : { source }),
      ...(campaign === undefined ? {} : { campaign }),
    },
  },
});

describe('orders by source', () => {
  const orders = [
    anOrder('o1', 'ann', 40, from('email', 'newsletter', 'spring')),
    anOrder('o2', 'ann', 10.1, { ...from('email', 'newsletter', 'spring'), journeyId: 'welcome' }),
    anOrder('o3', 'bob', 30, { ...from('email', 'newsletter', 'spring'), journeyId: 'welcome' }, 5.05),
    anOrder('o4', 'cem', 99, from('cpc', 'google', 'brand')),
    // Refunded in full: neither an order nor a customer any more; its refund still shows.
    anOrder('o5', 'dan', 20, from('cpc', 'google', 'brand'), 20),
    // Never signed up (an ingestion contact), and an order kept before acquisitions were.
    anOrder('o6', 'eve', 12, { acquisition: { form: 'ingestion:api', at: '2026-01-01T00:00:00.000Z' } }),
    anOrder('o7', 'fay', 3),
  ];
  const report = ordersBySource(orders, 'EUR');

  it('groups by the signup’s UTM medium, source and campaign, net of refunds, highest revenue first', () => {
    expect(report.bySource).toEqual([
      {
        medium: 'cpc',
        source: 'google',
        campaign: 'brand',
        orders: 1,
        customers: 1,
        revenue: 99,
        refunded: 20,
      },
      {
        medium: 'email',
        source: 'newsletter',
        campaign: 'spring',
        orders: 3,
        customers: 2,
        revenue: 75.05,
        refunded: 5.05,
      },
      { medium: null, source: null, campaign: null, orders: 2, customers: 2, revenue: 15, refunded: 0 },
    ]);
  });

  it('groups by the journey of the last click, and none', () => {
    expect(report.byJourney).toEqual([
      { journeyId: null, orders: 4, customers: 4, revenue: 154, refunded: 20 },
      { journeyId: 'welcome', orders: 2, customers: 2, revenue: 35.05, refunded: 5.05 },
    ]);
  });

  it('counts each customer once in the totals', () => {
    expect(report.totals).toEqual({ orders: 6, customers: 5, revenue: 189.05, refunded: 25.05 });
  });

  it('keeps a medium apart from a source of the same name, and a missing tag apart from an empty group', () => {
    const split = ordersBySource(
      [anOrder('a', 'x', 1, from('email')), anOrder('b', 'y', 1, from(undefined, 'email'))],
      'EUR',
    );
    expect(split.bySource.map((row) => [row.medium, row.source])).toEqual([
      ['email', null],
      [null, 'email'],
    ]);
  });

  it('answers empty lists and zero totals for no orders', () => {
    expect(ordersBySource([], 'EUR')).toEqual({
      currency: 'EUR',
      totals: { orders: 0, customers: 0, revenue: 0, refunded: 0 },
      bySource: [],
      byJourney: [],
    });
  });

  it('adds in exact minor units, where summing floats would drift', () => {
    const tenths = Array.from({ length: 10 }, (_, index) => anOrder(`t${index}`, `c${index}`, 0.1));
    expect(ordersBySource(tenths, 'EUR').totals.revenue).toBe(1);
  });

  it('counts an order in another currency amount for amount in the report’s, without an exchange rate', () => {
    const mixed = ordersBySource(
      [anOrder('y', 'x', 1500, {}, 0, 'JPY'), anOrder('k', 'y', 1.234, {}, 0, 'KWD')],
      'EUR',
    );
    expect(mixed.currency).toBe('EUR');
    // 1500 yen is 1500.00 here; 1.234 dinars is 1.23 (a cent is coarser than a fils).
    expect(mixed.totals.revenue).toBe(1501.23);
  });
});
