import { describe, expect, it } from 'vitest';
import {
  CustomerCard,
  CustomerCardShown,
  customerCardView,
  purchaseDaysOf,
  repeatSummaryOf,
} from '../../../../lib/domain/customer-card.js';
import { applyOrder, applyRefund } from '../../../../lib/domain/customer-card-updates.js';
import { Refund } from '../../../../lib/domain/order.js';
import { aCard, anOrder, aProduct, catalogOf } from '../support/customers.js';

const noCatalog = catalogOf();

/** An order of `revenue` (major units) with one line of `sku` in `category`. */
const orderOf = (orderId: string, at: string, revenue: number, sku = 'TEA-1', category = 'food/tea') =>
  anOrder({ orderId, at, revenue, lines: [{ sku, category, price: revenue, quantity: 1 }] });

const applied = (orders: ReturnType<typeof orderOf>[], card?: CustomerCard): CustomerCard =>
  orders.reduce<CustomerCard | undefined>((current, order) => applyOrder(current, order, noCatalog), card) ??
  aCard();

describe('purchase days on the card', () => {
  it('counts distinct UTC days: a second order the same day adds none, a later day one, a late older day one', () => {
    const steps = [
      orderOf('o1', '2026-03-01T10:00:00.000Z', 10),
      orderOf('o2', '2026-03-01T18:00:00.000Z', 5),
      orderOf('o3', '2026-03-05T09:00:00.000Z', 20),
      orderOf('o4', '2026-02-28T23:30:00.000Z', 7),
    ];
    const days: number[] = [];
    let card: CustomerCard | undefined;
    for (const order of steps) {
      card = applyOrder(card, order, noCatalog);
      days.push(card.purchaseDays ?? -1);
    }

    expect(days).toEqual([1, 1, 2, 3]);
  });

  it('counts a late order on a day in between once more each time, never past the days from first to last', () => {
    const card = applied([
      orderOf('o1', '2026-03-01T10:00:00.000Z', 10),
      orderOf('o2', '2026-03-05T10:00:00.000Z', 10),
    ]);
    const days: number[] = [];
    let current = card;
    for (const orderId of ['late-1', 'late-2', 'late-3', 'late-4']) {
      current = applyOrder(current, orderOf(orderId, '2026-03-03T10:00:00.000Z', 10), noCatalog);
      days.push(purchaseDaysOf(current));
    }

    // 3 March is new the first time (exact); after that the card cannot tell it was counted,
    // until 1–5 March (5 days) caps it.
    expect(days).toEqual([3, 4, 5, 5]);
  });

  it('reads a card written before days were counted as one day per order, or one when all fell on one day', () => {
    const older = aCard({
      orders: 3,
      revenue: 9000,
      averageOrderValue: 3000,
      firstPurchaseAt: '2026-01-01T10:00:00.000Z',
      lastPurchaseAt: '2026-03-01T10:00:00.000Z',
    });
    const splitBasket = aCard({
      orders: 2,
      revenue: 4000,
      averageOrderValue: 2000,
      firstPurchaseAt: '2026-01-01T10:00:00.000Z',
      lastPurchaseAt: '2026-01-01T10:05:00.000Z',
    });

    expect(purchaseDaysOf(older)).toBe(3);
    expect(purchaseDaysOf(splitBasket)).toBe(1);
    expect(applyOrder(older, orderOf('o4', '2026-04-01T10:00:00.000Z', 30), noCatalog).purchaseDays).toBe(4);
  });
});

describe('revenue of the first purchase day', () => {
  it('adds same-day orders to it, leaves it on a later day, and starts again from a late older order', () => {
    const revenues: Array<number | undefined> = [];
    let card: CustomerCard | undefined;
    for (const order of [
      orderOf('o1', '2026-03-01T10:00:00.000Z', 10),
      orderOf('o2', '2026-03-01T18:00:00.000Z', 5),
      orderOf('o3', '2026-03-05T09:00:00.000Z', 20),
      orderOf('o4', '2026-02-28T23:30:00.000Z', 7),
    ]) {
      card = applyOrder(card, order, noCatalog);
      revenues.push(card.firstDayRevenue);
    }

    // In cents: 10.00, + 5.00 the same day, unchanged on 5 March, then 28 February is the first day.
    expect(revenues).toEqual([1000, 1500, 1500, 700]);
  });

  it('is shown in major units like revenue and read back into minor units', () => {
    const card = applied([orderOf('o1', '2026-03-01T10:00:00.000Z', 19.99)]);

    expect(customerCardView(card)).toMatchObject({ revenue: 19.99, firstDayRevenue: 19.99 });
    expect(CustomerCardShown.parse(customerCardView(card))).toEqual(card);
    const written = CustomerCardShown.safeParse({ ...customerCardView(card), firstDayRevenue: 19.995 });
    expect(written.error?.issues).toEqual([expect.objectContaining({ path: ['firstDayRevenue'] })]);
  });
});

describe('the repeat summary', () => {
  const now = new Date('2026-03-31T12:00:00.000Z');

  it('counts repeat days, the days to the last one and to now, and the mean repeat revenue', () => {
    const card = applied([
      orderOf('o1', '2026-03-01T10:00:00.000Z', 10),
      orderOf('o2', '2026-03-01T18:00:00.000Z', 5),
      orderOf('o3', '2026-03-05T09:00:00.000Z', 20),
      orderOf('o4', '2026-02-28T23:30:00.000Z', 7),
    ]);

    // Days 28 Feb, 1 Mar, 5 Mar: x = 2; 28 Feb → 5 Mar = 5 days; 28 Feb → 31 Mar = 31 days.
    // Repeat revenue: 42.00 − 7.00 (28 Feb) over 2 days = 17.50.
    expect(repeatSummaryOf(card, now)).toEqual({ x: 2, tx: 5, T: 31, meanValue: 1750 });
  });

  it('makes no repeat of orders on one day, however many hours apart', () => {
    const card = applied([
      orderOf('o1', '2026-03-01T00:10:00.000Z', 10),
      orderOf('o2', '2026-03-01T23:50:00.000Z', 30),
    ]);

    expect(repeatSummaryOf(card, now)).toEqual({ x: 0, tx: 0, T: 30, meanValue: 0 });
  });

  it('makes a repeat of orders on two days, however few minutes apart', () => {
    const card = applied([
      orderOf('o1', '2026-03-01T23:55:00.000Z', 10),
      orderOf('o2', '2026-03-02T00:05:00.000Z', 30),
    ]);

    expect(repeatSummaryOf(card, now)).toEqual({ x: 1, tx: 1, T: 30, meanValue: 3000 });
  });

  it('reads a card written before the first day’s revenue was kept with its average order value', () => {
    const older = aCard({
      orders: 3,
      revenue: 9000,
      averageOrderValue: 3000,
      firstPurchaseAt: '2026-01-01T10:00:00.000Z',
      lastPurchaseAt: '2026-03-01T10:00:00.000Z',
    });

    expect(repeatSummaryOf(older, now)).toEqual({ x: 2, tx: 59, T: 89, meanValue: 3000 });
  });

  it('has no repeat revenue below zero when refunds took revenue under the first day’s', () => {
    const card = applyRefund(
      applied([orderOf('o1', '2026-03-01T10:00:00.000Z', 50), orderOf('o2', '2026-03-10T10:00:00.000Z', 10)]),
      Refund.parse({
        orderId: 'o1',
        contactId: 'c1',
        at: '2026-03-11T00:00:00.000Z',
        amount: 2000,
        currency: 'EUR',
      }),
    );

    expect(repeatSummaryOf(card, now)).toMatchObject({ x: 1, meanValue: 0 });
  });

  it('is all zeros for a card without purchases', () => {
    expect(repeatSummaryOf(aCard(), now)).toEqual({ x: 0, tx: 0, T: 0, meanValue: 0 });
  });
});

describe('category history on the card', () => {
  it('counts a purchase under every level of its path, one day per order however many lines', () => {
    const copier = aProduct({ sku: 'COPIER-1', category: 'office/copiers' });
    const paper = aProduct({ sku: 'PAPER-1', category: 'office/paper' });
    const catalog = catalogOf(copier, paper);
    const first = anOrder({
      orderId: 'o1',
      at: '2026-03-01T10:00:00.000Z',
      revenue: 1030,
      lines: [
        { sku: 'COPIER-1', price: 1000, quantity: 1 },
        { sku: 'PAPER-1', price: 30, quantity: 1 },
      ],
    });
    const second = anOrder({
      orderId: 'o2',
      at: '2026-03-08T10:00:00.000Z',
      revenue: 30,
      lines: [{ sku: 'PAPER-1', price: 30, quantity: 1 }],
    });
    const card = applyOrder(applyOrder(undefined, first, catalog), second, catalog);

    expect(card.categoryHistory).toEqual({
      office: { firstAt: '2026-03-01T10:00:00.000Z', lastAt: '2026-03-08T10:00:00.000Z', days: 2 },
      'office/copiers': { firstAt: '2026-03-01T10:00:00.000Z', lastAt: '2026-03-01T10:00:00.000Z', days: 1 },
      'office/paper': { firstAt: '2026-03-01T10:00:00.000Z', lastAt: '2026-03-08T10:00:00.000Z', days: 2 },
    });
    expect(CustomerCard.safeParse(card).success).toBe(true);
  });

  it('reads a card stored before the history was kept, and starts its history with the next order', () => {
    const stored = CustomerCard.parse({
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      categories: {},
      ownedProducts: [],
    });
    const card = applyOrder(stored, orderOf('o1', '2026-03-01T10:00:00.000Z', 10), noCatalog);

    expect(stored.categoryHistory).toBeUndefined();
    expect(card.categoryHistory?.food?.days).toBe(1);
  });
});

describe('an owned product’s history', () => {
  it('keeps the first purchase and the distinct days across purchases of the sku, and the newest order', () => {
    const card = applied([
      orderOf('o1', '2026-03-01T10:00:00.000Z', 10),
      orderOf('o2', '2026-03-01T16:00:00.000Z', 10),
      orderOf('o3', '2026-04-10T10:00:00.000Z', 10),
      orderOf('o4', '2026-03-20T10:00:00.000Z', 10),
    ]);

    expect(card.ownedProducts).toEqual([
      expect.objectContaining({
        sku: 'TEA-1',
        orderId: 'o3',
        purchasedAt: '2026-04-10T10:00:00.000Z',
        firstPurchasedAt: '2026-03-01T10:00:00.000Z',
        purchaseDays: 3,
      }),
    ]);

    const older = applyOrder(card, orderOf('o0', '2026-02-01T10:00:00.000Z', 10), noCatalog);
    expect(older.ownedProducts[0]).toMatchObject({
      orderId: 'o3',
      firstPurchasedAt: '2026-02-01T10:00:00.000Z',
      purchaseDays: 4,
    });
  });

  it('reads an entry written before its history was kept as one purchase', () => {
    const stored = aCard({
      orders: 1,
      firstPurchaseAt: '2026-03-01T10:00:00.000Z',
      lastPurchaseAt: '2026-03-01T10:00:00.000Z',
      ownedProducts: [{ sku: 'TEA-1', purchasedAt: '2026-03-01T10:00:00.000Z', orderId: 'o1' }],
    });
    const card = applyOrder(stored, orderOf('o2', '2026-04-01T10:00:00.000Z', 10), noCatalog);

    expect(card.ownedProducts[0]).toMatchObject({
      orderId: 'o2',
      firstPurchasedAt: '2026-03-01T10:00:00.000Z',
      purchaseDays: 2,
    });
  });

  it('takes a catalog cycle with its source, as the due date always came', () => {
    const filter = aProduct({ sku: 'FLT-1', category: 'home/filters', replacementCycleDays: 180 });
    const card = applyOrder(
      undefined,
      orderOf('o1', '2026-01-30T22:15:00.000Z', 20, 'FLT-1'),
      catalogOf(filter),
    );

    expect(card.ownedProducts[0]).toMatchObject({
      replacementDueAt: '2026-07-29',
      replacementCycleDays: 180,
      replacementSource: 'catalog',
    });
    expect(card.ownedProducts[0]?.replacementSupport).toBeUndefined();
  });
});
