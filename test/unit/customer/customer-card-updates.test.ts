import { describe, expect, it } from 'vitest';
import { CustomerCard } from '../../../lib/domain/customer-card.js';
import { applyOrder, applyRefund, OWNED_PRODUCTS_LIMIT } from '../../../lib/domain/customer-card-updates.js';
import { DateOutOfRangeError } from '../../../lib/domain/iso-range.js';
import { Refund } from '../../../lib/domain/order.js';
import { aCard, anOrder, aProduct, catalogOf } from './support/customers.js';

const filter = aProduct({
  sku: 'FLT-1',
  name: 'Water filter',
  category: 'filters',
  replacementCycleDays: 180,
});
const book = aProduct({ sku: 'BK-1', name: 'A novel', category: 'books' });
const catalog = catalogOf(filter, book);

const firstOrder = anOrder({
  orderId: 'o1',
  at: '2026-01-30T22:15:00.000Z',
  revenue: 64.97,
  currency: 'EUR',
  lines: [
    { sku: 'FLT-1', price: 19.99, quantity: 2 },
    { sku: 'BK-1', name: 'A novel (paperback)', category: 'fiction', price: 24.99, quantity: 1 },
  ],
});
const secondOrder = anOrder({
  orderId: 'o2',
  at: '2026-03-01T10:00:00.000Z',
  revenue: 19.99,
  lines: [{ sku: 'FLT-1', price: 19.99, quantity: 1 }],
});

/** A refund of `amount` cents. */
const refund = (amount: number, currency = 'EUR') =>
  Refund.parse({ orderId: 'o1', contactId: 'c1', at: '2026-03-02T00:00:00.000Z', amount, currency });

describe('applying an order', () => {
  it('starts a card for a first-time buyer, with units per category and replacement due dates', () => {
    const card = applyOrder(undefined, firstOrder, catalog);

    // 2026-01-30 + 180 days: 1 (to 31 Jan) + 28 + 31 + 30 + 31 + 30 = 151 to 30 Jun, + 29 = 29 Jul.
    expect(card).toEqual({
      orders: 1,
      revenue: 6497,
      averageOrderValue: 6497,
      currency: 'EUR',
      firstPurchaseAt: '2026-01-30T22:15:00.000Z',
      lastPurchaseAt: '2026-01-30T22:15:00.000Z',
      purchaseDays: 1,
      firstDayRevenue: 6497,
      categories: { filters: 2, fiction: 1 },
      categoryLastPurchasedAt: { filters: '2026-01-30T22:15:00.000Z', fiction: '2026-01-30T22:15:00.000Z' },
      categoryHistory: {
        filters: { firstAt: '2026-01-30T22:15:00.000Z', lastAt: '2026-01-30T22:15:00.000Z', days: 1 },
        fiction: { firstAt: '2026-01-30T22:15:00.000Z', lastAt: '2026-01-30T22:15:00.000Z', days: 1 },
      },
      ownedProducts: [
        {
          sku: 'BK-1',
          name: 'A novel (paperback)',
          category: 'fiction',
          purchasedAt: '2026-01-30T22:15:00.000Z',
          firstPurchasedAt: '2026-01-30T22:15:00.000Z',
          purchaseDays: 1,
          orderId: 'o1',
        },
        {
          sku: 'FLT-1',
          name: 'Water filter',
          category: 'filters',
          purchasedAt: '2026-01-30T22:15:00.000Z',
          firstPurchasedAt: '2026-01-30T22:15:00.000Z',
          purchaseDays: 1,
          orderId: 'o1',
          replacementDueAt: '2026-07-29',
          replacementCycleDays: 180,
          replacementSource: 'catalog',
        },
      ],
      refunds: 0,
    });
    expect(CustomerCard.safeParse(card).success).toBe(true);
  });

  it('adds to the totals and replaces the earlier purchase of a re-bought sku', () => {
    const card = applyOrder(applyOrder(undefined, firstOrder, catalog), secondOrder, catalog);

    // 64.97 + 19.99 is 84.96000000000001 in floating point; the card keeps 84.96.
    expect(card.revenue).toBe(8496);
    expect(card.averageOrderValue).toBe(4248);
    expect(card.orders).toBe(2);
    expect(card.lastPurchaseAt).toBe('2026-03-01T10:00:00.000Z');
    expect(card.firstPurchaseAt).toBe('2026-01-30T22:15:00.000Z');
    expect(card.categories).toEqual({ filters: 3, fiction: 1 });
    expect(card.categoryLastPurchasedAt).toEqual({
      filters: '2026-03-01T10:00:00.000Z',
      fiction: '2026-01-30T22:15:00.000Z',
    });
    expect(
      card.ownedProducts.map(({ sku, orderId, replacementDueAt }) => ({ sku, orderId, replacementDueAt })),
    ).toEqual([
      { sku: 'FLT-1', orderId: 'o2', replacementDueAt: '2026-08-28' },
      { sku: 'BK-1', orderId: 'o1', replacementDueAt: undefined },
    ]);
  });

  it('keeps the newer purchase and moves the first purchase back when an older order arrives late', () => {
    const late = anOrder({
      orderId: 'o0',
      at: '2025-12-01T09:00:00.000Z',
      revenue: 19.99,
      lines: [{ sku: 'FLT-1', price: 19.99, quantity: 1 }],
    });
    const card = applyOrder(applyOrder(undefined, secondOrder, catalog), late, catalog);

    expect(card.firstPurchaseAt).toBe('2025-12-01T09:00:00.000Z');
    expect(card.lastPurchaseAt).toBe('2026-03-01T10:00:00.000Z');
    expect(card.categoryLastPurchasedAt.filters).toBe('2026-03-01T10:00:00.000Z');
    expect(card.ownedProducts).toHaveLength(1);
    expect(card.ownedProducts[0]?.orderId).toBe('o2');
  });

  it('records a product the catalog does not know, without a category or a due date', () => {
    const card = applyOrder(
      undefined,
      anOrder({
        orderId: 'o9',
        at: '2026-02-01T00:00:00.000Z',
        revenue: 5,
        lines: [{ sku: 'X-1', price: 5, quantity: 3 }],
      }),
      catalog,
    );

    expect(card.categories).toEqual({});
    expect(card.ownedProducts).toEqual([
      {
        sku: 'X-1',
        purchasedAt: '2026-02-01T00:00:00.000Z',
        firstPurchasedAt: '2026-02-01T00:00:00.000Z',
        purchaseDays: 1,
        orderId: 'o9',
      },
    ]);
  });

  it('keeps the card’s currency when a later order names another', () => {
    const card = applyOrder(
      applyOrder(undefined, firstOrder, catalog),
      { ...secondOrder, currency: 'USD' },
      catalog,
    );

    expect(card.currency).toBe('EUR');
  });

  it(`keeps only the ${OWNED_PRODUCTS_LIMIT} most recently bought products`, () => {
    let card: CustomerCard | undefined;
    for (let day = 1; day <= 60; day += 1) {
      const at = new Date(Date.UTC(2026, 0, day)).toISOString();
      card = applyOrder(
        card,
        anOrder({
          orderId: `o${day}`,
          at,
          revenue: 1,
          lines: [{ sku: `SKU-${day}`, price: 1, quantity: 1 }],
        }),
        catalog,
      );
    }

    expect(card?.ownedProducts).toHaveLength(OWNED_PRODUCTS_LIMIT);
    expect(card?.ownedProducts[0]?.sku).toBe('SKU-60');
    expect(card?.ownedProducts.at(-1)?.sku).toBe('SKU-11');
  });

  it('leaves the value fields for refreshCustomerValue to recompute', () => {
    const card = applyOrder(aCard({ tier: 'vip', churnRisk: 3 }), secondOrder, catalog);

    expect(card.tier).toBe('vip');
    expect(card.churnRisk).toBe(3);
  });
});

describe('applying a refund', () => {
  const twoOrders = applyOrder(applyOrder(undefined, firstOrder, catalog), secondOrder, catalog);

  it('takes the amount off revenue, counts the refund and recomputes the average over the same orders', () => {
    const card = applyRefund(twoOrders, refund(3000));

    // 84.96 − 30.00 = 54.96 over 2 orders, in cents.
    expect(card.revenue).toBe(5496);
    expect(card.averageOrderValue).toBe(2748);
    expect(card.orders).toBe(2);
    expect(card.refunds).toBe(1);
  });

  it('never takes revenue below zero', () => {
    const card = applyRefund(twoOrders, refund(50_000));

    expect(card.revenue).toBe(0);
    expect(card.averageOrderValue).toBe(0);
  });

  it('counts a refund for a customer without a card and leaves revenue at zero', () => {
    expect(applyRefund(undefined, refund(1000))).toMatchObject({ orders: 0, revenue: 0, refunds: 1 });
  });
});

describe('when orders come in more than one currency', () => {
  it('keeps the first order’s currency and counts another’s amount for amount, rounded once to its unit', () => {
    const yen = anOrder({
      orderId: 'o3',
      at: '2026-03-05T00:00:00.000Z',
      revenue: 1500,
      currency: 'JPY',
      lines: [],
    });
    const card = applyOrder(applyOrder(undefined, firstOrder, catalog), yen, catalog);

    // 64.97 EUR, then 1500 JPY counted as 1500.00: no exchange rate is guessed.
    expect(card).toMatchObject({ currency: 'EUR', revenue: 156_497, averageOrderValue: 78_249 });
  });

  it('takes a refund in the order’s currency off the card’s likewise', () => {
    const card = applyRefund(applyOrder(undefined, firstOrder, catalog), refund(1005, 'KWD'));

    // 1.005 KWD read as 1.01 EUR (half away from zero).
    expect(card.revenue).toBe(6497 - 101);
  });
});

describe('when a date computed for the card would leave the years 0000-9999', () => {
  it('refuses the replacement due date instead of writing "+010000-06"', () => {
    const lateOrder = anOrder({
      orderId: 'o9',
      at: '9999-12-31T00:00:00.000Z',
      revenue: 19.99,
      lines: [{ sku: 'FLT-1', price: 19.99, quantity: 1 }],
    });
    expect(() => applyOrder(undefined, lateOrder, catalog)).toThrow(DateOutOfRangeError);
  });
});

describe('when a category is named like a member every object inherits', () => {
  it('counts "constructor" as a category like any other', () => {
    const odd = anOrder({
      orderId: 'o7',
      at: '2026-03-01T10:00:00.000Z',
      revenue: 5,
      lines: [{ sku: 'X-1', category: 'constructor', price: 5, quantity: 2 }],
    });
    const card = applyOrder(undefined, odd, catalog);
    expect(card.categories).toEqual({ constructor: 2 });
    expect(CustomerCard.safeParse(card).success).toBe(true);
  });
});

describe('when categories are paths', () => {
  it('counts units and the last purchase under the full path of each line, not under its department', () => {
    const crime = aProduct({ sku: 'CRIME-1', category: 'books/crime' });
    const cooking = aProduct({ sku: 'COOK-1', category: 'books/cooking' });
    const order = anOrder({
      orderId: 'o8',
      at: '2026-03-01T10:00:00.000Z',
      revenue: 60,
      lines: [
        { sku: 'CRIME-1', price: 15, quantity: 2 },
        { sku: 'COOK-1', price: 30, quantity: 1 },
      ],
    });
    const card = applyOrder(aCard({ categories: { books: 3 } }), order, catalogOf(crime, cooking));
    expect(card.categories).toEqual({ books: 3, 'books/crime': 2, 'books/cooking': 1 });
    expect(card.categoryLastPurchasedAt).toEqual({
      'books/crime': '2026-03-01T10:00:00.000Z',
      'books/cooking': '2026-03-01T10:00:00.000Z',
    });
    expect(card.ownedProducts.map((owned) => owned.category)).toEqual(['books/cooking', 'books/crime']);
  });
});
