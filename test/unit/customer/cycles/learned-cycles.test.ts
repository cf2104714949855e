import { describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../../../lib/domain/customer-card.js';
import { applyOrder } from '../../../../lib/domain/customer-card-updates.js';
import {
  InvalidCycleInputError,
  LearnedCycles,
  learnCycles,
} from '../../../../lib/domain/replacement-cycles.js';
import { anOrder, catalogOf } from '../support/customers.js';
import { medianOf, naiveMeanInterval, syntheticBase } from './support/synthetic-histories.js';

const now = new Date('2026-06-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

/** `customers` cards, each buying `sku` in `category` on `purchases` days `gapDays` apart, the last `sinceDays` before now. */
const regulars = (options: {
  customers: number;
  purchases: number;
  gapDays: number;
  sinceDays?: number;
  sku?: string;
  category?: string;
}): CustomerCard[] =>
  Array.from({ length: options.customers }, (_, customer) => {
    let card: CustomerCard | undefined;
    for (let n = 0; n < options.purchases; n += 1) {
      const daysAgo = (options.sinceDays ?? 10) + (options.purchases - 1 - n) * options.gapDays;
      card = applyOrder(
        card,
        anOrder({
          orderId: `c${customer}-o${n}`,
          at: new Date(now.getTime() - daysAgo * DAY_MS).toISOString(),
          revenue: 10,
          lines: [
            {
              sku: options.sku ?? 'CPY-1',
              category: options.category ?? 'office/copiers',
              price: 10,
              quantity: 1,
            },
          ],
        }),
        catalogOf(),
      );
    }
    if (card === undefined) throw new RangeError('a regular buys at least once');
    return card;
  });

describe('learning replacement cycles from a base with known cycles', () => {
  const filters = syntheticBase({
    seed: 1,
    customers: 300,
    now,
    startDaysAgo: [7, 1100],
    pattern: {
      sku: () => 'FLT-1',
      category: 'home/filters',
      price: 20,
      gapDays: (random) => random.between(160, 200),
    },
  });
  const toner = syntheticBase({
    seed: 2,
    customers: 300,
    now,
    startDaysAgo: [7, 1100],
    pattern: {
      sku: () => 'TNR-1',
      category: 'office/toner',
      price: 50,
      gapDays: (random) => random.between(38, 46),
    },
  });
  const learned = learnCycles([...filters.cards, ...toner.cards], now);
  const category = (key: string) => learned.categories.find((cycle) => cycle.key === key);

  it('finds filters every 180 ± 20 days and toner every 42 within 10 %', () => {
    expect(category('home/filters')?.medianDays).toBeGreaterThan(180 * 0.9);
    expect(category('home/filters')?.medianDays).toBeLessThan(180 * 1.1);
    expect(category('office/toner')?.medianDays).toBeGreaterThan(42 * 0.9);
    expect(category('office/toner')?.medianDays).toBeLessThan(42 * 1.1);
  });

  it('reports an interquartile range around the median, inside the spread of the true gaps', () => {
    // Each card gives its customer's mean interval, which spreads less than single gaps: the IQR is
    // narrower than the gaps' own (170–190 days for filters, 40–44 for toner).
    const {
      q1Days: q1Filters = 0,
      medianDays: medianFilters = 0,
      q3Days: q3Filters = 0,
    } = category('home/filters') ?? {};
    expect(q1Filters).toBeGreaterThanOrEqual(160);
    expect(q1Filters).toBeLessThan(medianFilters);
    expect(q3Filters).toBeGreaterThan(medianFilters);
    expect(q3Filters).toBeLessThanOrEqual(200);
    const {
      q1Days: q1Toner = 0,
      medianDays: medianToner = 0,
      q3Days: q3Toner = 0,
    } = category('office/toner') ?? {};
    expect(q1Toner).toBeGreaterThanOrEqual(38);
    expect(q1Toner).toBeLessThan(medianToner);
    expect(q3Toner).toBeGreaterThan(medianToner);
    expect(q3Toner).toBeLessThanOrEqual(46);
  });

  it('learns the same cycles per product, and counts every customer once as censored', () => {
    const product = (key: string) => learned.products.find((cycle) => cycle.key === key);

    expect(product('FLT-1')?.medianDays).toBeCloseTo(category('home/filters')?.medianDays ?? 0, 6);
    expect(product('TNR-1')?.medianDays).toBeCloseTo(category('office/toner')?.medianDays ?? 0, 6);
    expect(category('home/filters')?.censored).toBe(300);
  });

  it('counts each category under its department too, sorted by key, as the stored schema reads it', () => {
    expect(learned.categories.map((cycle) => cycle.key)).toEqual([
      'home',
      'home/filters',
      'office',
      'office/toner',
    ]);
    expect(category('office')).toEqual({ ...category('office/toner'), key: 'office' });
    expect(LearnedCycles.parse(learned)).toEqual(learned);
    expect(learned).toMatchObject({
      computedAt: now.toISOString(),
      minimum: { repeatCustomers: 10, repeatIntervals: 20 },
    });
  });
});

describe('when many customers stop buying and the gaps are long', () => {
  // Gaps of 60 to 540 days over the last two years, and a fifth of the customers stop after each purchase:
  // most have bought once, and the long gaps are the ones still open at "now".
  const heavy = syntheticBase({
    seed: 3,
    customers: 400,
    now,
    startDaysAgo: [1, 720],
    pattern: {
      sku: () => 'SEED-1',
      category: 'garden/seeds',
      price: 5,
      gapDays: (random) => (random.chance(0.2) ? undefined : random.between(60, 540)),
    },
  });
  const learned = learnCycles(heavy.cards, now).categories.find((cycle) => cycle.key === 'garden/seeds');
  // The median time to buy again, a customer who stopped counting as longer than any.
  const truth = medianOf(heavy.gaps);
  const returners = medianOf(heavy.gaps.filter(Number.isFinite));
  const naive = naiveMeanInterval(heavy.cards, 'garden/seeds') ?? 0;

  it('is a base where most customers bought once', () => {
    expect(heavy.cards.filter((card) => card.orders === 1).length).toBeGreaterThan(heavy.cards.length / 2);
  });

  it('estimates the time to buy again within 10 %, not short', () => {
    expect(learned?.medianDays).toBeGreaterThan(truth * 0.9);
    expect(learned?.medianDays).toBeLessThan(truth * 1.1);
    expect(learned?.medianDays).toBeGreaterThan(returners);
  });

  it('where the mean of the completed intervals is biased short, even of the customers who return', () => {
    expect(naive).toBeLessThan(truth * 0.75);
    expect(naive).toBeLessThan(returners * 0.85);
  });

  describe('when most customers never come back', () => {
    it('has no median rather than a short one', () => {
      const lapsing = syntheticBase({
        seed: 3,
        customers: 400,
        now,
        startDaysAgo: [1, 720],
        pattern: {
          sku: () => 'SEED-1',
          category: 'garden/seeds',
          price: 5,
          gapDays: (random) => (random.chance(0.7) ? undefined : random.between(120, 360)),
        },
      });
      const cycles = learnCycles(lapsing.cards, now);

      expect(naiveMeanInterval(lapsing.cards, 'garden/seeds')).toBeGreaterThan(0);
      expect(cycles.categories.map((cycle) => cycle.key)).toEqual([]);
      expect(cycles.products).toEqual([]);
    });
  });
});

describe('below the minimum support', () => {
  it('has no estimate with 9 repeat customers, however many intervals', () => {
    expect(learnCycles(regulars({ customers: 9, purchases: 4, gapDays: 30 }), now).categories).toEqual([]);
  });

  it('has no estimate with 19 intervals, however many customers', () => {
    const cards = [
      ...regulars({ customers: 10, purchases: 2, gapDays: 30 }),
      ...regulars({ customers: 9, purchases: 2, gapDays: 30 }),
    ];
    expect(learnCycles(cards, now).categories).toEqual([]);
  });

  it('has one at 10 customers and 20 intervals, or at a minimum of the caller’s', () => {
    const cards = regulars({ customers: 10, purchases: 3, gapDays: 30 });
    const learned = learnCycles(cards, now);
    expect(
      learned.categories.map(({ key, customers, repeatIntervals, medianDays }) => ({
        key,
        customers,
        repeatIntervals,
        medianDays,
      })),
    ).toEqual([
      { key: 'office', customers: 10, repeatIntervals: 20, medianDays: 30 },
      { key: 'office/copiers', customers: 10, repeatIntervals: 20, medianDays: 30 },
    ]);
    const strict = learnCycles(cards, now, { minRepeatCustomers: 11 });
    expect(strict.categories).toEqual([]);
    expect(strict.minimum).toEqual({ repeatCustomers: 11, repeatIntervals: 20 });
  });

  it('counts customers who bought once as censored, not as support', () => {
    const cards = [
      ...regulars({ customers: 10, purchases: 3, gapDays: 30 }),
      ...regulars({ customers: 5, purchases: 1, gapDays: 30, sinceDays: 200 }),
    ];
    expect(learnCycles(cards, now).categories[0]).toMatchObject({
      customers: 10,
      repeatIntervals: 20,
      censored: 15,
    });
  });

  it('refuses a minimum that is not a whole number of at least 1, naming it', () => {
    expect(() => learnCycles([], now, { minRepeatIntervals: 0 })).toThrow(InvalidCycleInputError);
    expect(() => learnCycles([], now, { minRepeatIntervals: 0 })).toThrow(/^options\.minRepeatIntervals: /);
  });
});

describe('category levels', () => {
  it('learns a purchase of office/copiers under office too, with the other office purchases', () => {
    const cards = [
      ...regulars({ customers: 10, purchases: 3, gapDays: 400, category: 'office/copiers' }),
      ...regulars({ customers: 10, purchases: 3, gapDays: 30, sku: 'PAPER-1', category: 'office/paper' }),
    ];
    const learned = learnCycles(cards, now);
    const summary = learned.categories.map(({ key, customers, repeatIntervals, censored }) => ({
      key,
      customers,
      repeatIntervals,
      censored,
    }));

    expect(summary).toEqual([
      { key: 'office', customers: 20, repeatIntervals: 40, censored: 20 },
      { key: 'office/copiers', customers: 10, repeatIntervals: 20, censored: 10 },
      { key: 'office/paper', customers: 10, repeatIntervals: 20, censored: 10 },
    ]);
    // Half the office intervals are 30 days and half 400: the median is the smallest duration at which
    // survival reaches one half, the paper's.
    expect(learned.categories[0]?.medianDays).toBe(30);
  });
});
