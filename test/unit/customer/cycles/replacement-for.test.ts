import { describe, expect, it } from 'vitest';
import type { CustomerCard, OwnedProduct } from '../../../../lib/domain/customer-card.js';
import { applyOrder } from '../../../../lib/domain/customer-card-updates.js';
import {
  InvalidCycleInputError,
  type LearnedCycle,
  LearnedCycles,
  personalCycle,
  replacementFor,
  withLearnedReplacements,
} from '../../../../lib/domain/replacement-cycles.js';
import { aCard, anOrder, aProduct, catalogOf } from '../support/customers.js';

const laser = 'office/copiers/laser';

/** An order of one line of `sku` in `category`. */
const bought = (card: CustomerCard, orderId: string, at: string, sku: string, category: string) =>
  applyOrder(
    card,
    anOrder({ orderId, at, revenue: 10, lines: [{ sku, category, price: 10, quantity: 1 }] }),
    catalogOf(),
  );

// LSR-1 bought three times 100 days apart (1 Jan, 11 Apr, 20 Jul 2026): two intervals of 100 days.
const card = [
  ['o1', '2026-01-01T09:00:00.000Z'],
  ['o2', '2026-04-11T09:00:00.000Z'],
  ['o3', '2026-07-20T09:00:00.000Z'],
].reduce((current, [orderId = '', at = '']) => bought(current, orderId, at, 'LSR-1', laser), aCard());
const laserPrinter = (): OwnedProduct => {
  const owned = card.ownedProducts.find((product) => product.sku === 'LSR-1');
  if (owned === undefined) throw new RangeError('the card owns LSR-1');
  return owned;
};

const learned = (kind: LearnedCycle['kind'], key: string, medianDays: number): LearnedCycle => ({
  kind,
  key,
  medianDays,
  q1Days: medianDays * 0.8,
  q3Days: medianDays * 1.2,
  customers: 30,
  repeatIntervals: 60,
  censored: 45,
});

const cyclesOf = (products: LearnedCycle[], categories: LearnedCycle[]): LearnedCycles =>
  LearnedCycles.parse({
    computedAt: '2026-08-01T00:00:00.000Z',
    minimum: { repeatCustomers: 10, repeatIntervals: 20 },
    categories,
    products,
  });

const everything = cyclesOf(
  [learned('product', 'LSR-1', 120)],
  [
    learned('category', 'office', 20),
    learned('category', 'office/copiers', 300),
    learned('category', laser, 200),
  ],
);

describe('which replacement cycle a product gets', () => {
  it('takes the catalog’s cycle first, which rests on no purchases', () => {
    expect(replacementFor(laserPrinter(), card, everything, 365)).toMatchObject({
      replacementDueAt: '2027-07-20',
      replacementCycleDays: 365,
      replacementSource: 'catalog',
    });
    expect(replacementFor(laserPrinter(), card, everything, 365).replacementSupport).toBeUndefined();
  });

  it('then the product’s learned cycle, shrunk toward by the customer’s own intervals of the sku', () => {
    // (2 × 100 + 2 × 120) ÷ 4 = 110 days after 20 July.
    expect(replacementFor(laserPrinter(), card, everything)).toMatchObject({
      replacementDueAt: '2026-11-07',
      replacementCycleDays: 110,
      replacementSource: 'personal',
      replacementSupport: { customers: 1, intervals: 2 },
    });
  });

  it('then its own category’s learned cycle, never a level above it', () => {
    const noProduct = cyclesOf([], everything.categories);
    // office/copiers/laser: (2 × 100 + 2 × 200) ÷ 4 = 150.
    expect(replacementFor(laserPrinter(), card, noProduct)).toMatchObject({
      replacementDueAt: '2026-12-17',
      replacementCycleDays: 150,
      replacementSource: 'personal',
    });
    // Only office/copiers (300) and office (20, the paper) learned: the printer keeps to its own 100 days.
    const noLaser = cyclesOf(
      [],
      everything.categories.filter((cycle) => cycle.key !== laser),
    );
    expect(replacementFor(laserPrinter(), card, noLaser)).toMatchObject({
      replacementDueAt: '2026-10-28',
      replacementCycleDays: 100,
      replacementSource: 'personal',
    });
  });

  it('takes a learned cycle as it is, with its support, for a customer without an interval of their own', () => {
    const once = bought(aCard(), 'o1', '2026-07-20T09:00:00.000Z', 'LSR-1', laser);
    const product = once.ownedProducts[0];
    if (product === undefined) throw new RangeError('the card owns LSR-1');

    expect(replacementFor(product, once, everything)).toMatchObject({
      replacementDueAt: '2026-11-17',
      replacementCycleDays: 120,
      replacementSource: 'learned',
      replacementSupport: { customers: 30, intervals: 60 },
    });
  });

  describe('when nothing is learned', () => {
    const nothing = cyclesOf([], []);

    it('takes the customer’s own intervals of the sku', () => {
      expect(replacementFor(laserPrinter(), card, nothing)).toMatchObject({
        replacementDueAt: '2026-10-28',
        replacementCycleDays: 100,
        replacementSource: 'personal',
        replacementSupport: { customers: 1, intervals: 2 },
      });
    });

    it('else their own intervals in its category, a new model each time', () => {
      const models = [
        ['o1', '2026-01-01T09:00:00.000Z', 'LSR-1'],
        ['o2', '2026-04-11T09:00:00.000Z', 'LSR-2'],
        ['o3', '2026-07-20T09:00:00.000Z', 'LSR-3'],
      ].reduce(
        (current, [orderId = '', at = '', sku = '']) => bought(current, orderId, at, sku, laser),
        aCard(),
      );
      const newest = models.ownedProducts[0];
      if (newest === undefined) throw new RangeError('the card owns LSR-3');

      expect(replacementFor(newest, models, nothing)).toMatchObject({
        sku: 'LSR-3',
        replacementCycleDays: 100,
        replacementSource: 'personal',
      });
    });

    it('never from a level above its category, where other purchases would set it', () => {
      // Paper every 10 days and one printer: the printer is not due in 10 days.
      const paperBuyer = [
        ['o1', '2026-07-01T09:00:00.000Z', 'PAPER-1', 'office/paper'],
        ['o2', '2026-07-11T09:00:00.000Z', 'PAPER-1', 'office/paper'],
        ['o3', '2026-07-21T09:00:00.000Z', 'PAPER-1', 'office/paper'],
        ['o4', '2026-07-20T09:00:00.000Z', 'LSR-1', laser],
      ].reduce(
        (current, [orderId = '', at = '', sku = '', category = '']) =>
          bought(current, orderId, at, sku, category),
        aCard(),
      );
      const printer = paperBuyer.ownedProducts.find((product) => product.sku === 'LSR-1');
      if (printer === undefined) throw new RangeError('the card owns LSR-1');

      expect(paperBuyer.categoryHistory?.office?.days).toBe(4);
      expect(replacementFor(printer, paperBuyer, nothing)).toEqual(printer);
    });

    it('removes a learned or personal cycle computed before, and keeps a catalog one', () => {
      const stale: OwnedProduct = {
        ...laserPrinter(),
        purchaseDays: 1,
        replacementDueAt: '2026-11-17',
        replacementCycleDays: 120,
        replacementSource: 'learned',
        replacementSupport: { customers: 30, intervals: 60 },
      };
      const fromCatalog: OwnedProduct = { ...stale, replacementCycleDays: 365, replacementSource: 'catalog' };
      delete fromCatalog.replacementSupport;
      const once = aCard({ ownedProducts: [stale] });

      expect(replacementFor(stale, once, nothing)).toEqual({ ...laserPrinter(), purchaseDays: 1 });
      expect(replacementFor(fromCatalog, once, nothing)).toEqual(fromCatalog);
      // A due date written before sources were kept came from the catalog: it stays, even with a learned cycle.
      const { replacementSource: _source, replacementCycleDays: _days, ...legacy } = fromCatalog;
      expect(replacementFor(legacy, once, everything)).toEqual(legacy);
    });
  });
});

describe('recomputing every owned product of a card', () => {
  it('gives the catalog’s cycle to products that have one there and learned cycles to the rest', () => {
    const withToner = bought(card, 'o4', '2026-07-21T09:00:00.000Z', 'TNR-1', 'office/toner');
    const catalog = catalogOf(aProduct({ sku: 'TNR-1', category: 'office/toner', replacementCycleDays: 42 }));
    const recomputed = withLearnedReplacements(withToner, everything, catalog);

    expect(
      recomputed.ownedProducts.map(({ sku, replacementSource, replacementCycleDays }) => ({
        sku,
        replacementSource,
        replacementCycleDays,
      })),
    ).toEqual([
      { sku: 'TNR-1', replacementSource: 'catalog', replacementCycleDays: 42 },
      { sku: 'LSR-1', replacementSource: 'personal', replacementCycleDays: 110 },
    ]);
    expect(recomputed).toEqual({ ...withToner, ownedProducts: recomputed.ownedProducts });
  });
});

describe('a personal cycle', () => {
  const category = learned('category', 'office/toner', 42);

  it('leans on the learned median with few intervals of their own and on their own with many', () => {
    expect(personalCycle({ intervals: 1, meanDays: 30 }, category)?.cycleDays).toBe(38);
    expect(personalCycle({ intervals: 40, meanDays: 30 }, category)?.cycleDays).toBeCloseTo(30.57, 2);
    expect(personalCycle({ intervals: 1, meanDays: 30 }, category, { priorWeight: 0 })?.cycleDays).toBe(30);
  });

  it('needs two intervals of their own without a learned one', () => {
    expect(personalCycle({ intervals: 1, meanDays: 30 }, undefined)).toBeUndefined();
    expect(personalCycle(undefined, undefined)).toBeUndefined();
    expect(personalCycle({ intervals: 2, meanDays: 30 }, undefined)).toEqual({
      cycleDays: 30,
      source: 'personal',
      support: { customers: 1, intervals: 2 },
    });
  });

  it('refuses a negative prior weight or a mean of no days, naming the field', () => {
    expect(() => personalCycle(undefined, category, { priorWeight: -1 })).toThrow(
      new InvalidCycleInputError('options.priorWeight must be a finite number at least 0; got -1'),
    );
    expect(() => personalCycle({ intervals: 2, meanDays: 0 }, category)).toThrow(/^own\.meanDays/);
  });
});
