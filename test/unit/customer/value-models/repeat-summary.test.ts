import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../../../lib/domain/order-history.js';
import {
  compressSummaries,
  InvalidPeriodError,
  RepeatSummary,
  summariesFromOrders,
} from '../../../../lib/domain/repeat-summary.js';
import { cdnowSummaries, publishedSummaries } from './support/cdnow.js';

const order = (customerId: string, date: string, amount: number): OrderRow => ({ customerId, date, amount });

describe('summariesFromOrders', () => {
  const orders = [
    order('ann', '2026-01-01', 10),
    // Two records on one day are one purchase of 30.
    order('ann', '2026-01-15', 20),
    order('ann', '2026-01-15', 10),
    order('ann', '2026-03-01', 50),
    // After asOf: holdout.
    order('ann', '2026-03-02', 5),
    order('ann', '2026-03-09', 5),
    order('ann', '2026-04-01', 5),
    order('bob', '2026-02-01', 99),
    // First purchase after asOf: not a customer yet.
    order('cid', '2026-03-05', 15),
  ];

  it('counts repeat days, not records, and averages their value', () => {
    const [ann, bob] = summariesFromOrders(orders, { asOf: '2026-03-01', unit: 'day' });
    expect(ann).toEqual({
      customerId: 'ann',
      firstPurchase: '2026-01-01',
      x: 2,
      tx: 59,
      T: 59,
      meanValue: 40,
      count: 1,
    });
    expect(bob).toMatchObject({ x: 0, tx: 0, T: 28, meanValue: 0 });
  });

  it('leaves out customers whose first purchase is after asOf', () => {
    const customers = summariesFromOrders(orders, { asOf: '2026-03-01', unit: 'day' });
    expect(customers.map((customer) => customer.customerId)).toEqual(['ann', 'bob']);
  });

  it('measures in weeks of seven days', () => {
    const [ann] = summariesFromOrders(orders, { asOf: '2026-03-01', unit: 'week' });
    expect(ann?.tx).toBeCloseTo(59 / 7, 12);
    expect(ann?.T).toBeCloseTo(59 / 7, 12);
  });

  it('counts the holdout purchase days up to and including until', () => {
    const [ann, bob] = summariesFromOrders(orders, { asOf: '2026-03-01', until: '2026-03-09', unit: 'day' });
    expect(ann?.actual).toBe(2);
    expect(bob?.actual).toBe(0);
  });

  it('refuses a holdout that ends before the calibration', () => {
    expect(() =>
      summariesFromOrders(orders, { asOf: '2026-03-01', until: '2026-02-01', unit: 'day' }),
    ).toThrow(InvalidPeriodError);
    expect(() => summariesFromOrders(orders, { asOf: '2026-02-30', unit: 'day' })).toThrow(
      'asOf "2026-02-30" is not a calendar day',
    );
  });

  it('gives summaries the RepeatSummary schema accepts', () => {
    for (const summary of summariesFromOrders(orders, { asOf: '2026-03-01', unit: 'week' })) {
      expect(RepeatSummary.safeParse(summary).success).toBe(true);
    }
  });

  describe('on the CDNOW sample as of 1997-09-30, in weeks', () => {
    // The published summary numbers customers 1–2,357 by first purchase, then id, the order
    // summariesFromOrders returns them in, so row i is customer i + 1.
    const derived = cdnowSummaries();
    const published = publishedSummaries();

    // Two decimals are within 0.005 of the value. Means that end in half a cent exactly (x = 2,
    // 22.345) are rounded up in the file, so the tolerance allows for the float they are.
    const withinRounding = (mine: number, theirs: number): boolean => Math.abs(mine - theirs) <= 0.005 + 1e-9;

    it('reproduces cdnow_sample_summary.csv for every one of the 2,357 customers', () => {
      expect(derived).toHaveLength(2_357);
      expect(published).toHaveLength(2_357);
      const mismatches = published.filter((row, index) => {
        const mine = derived[index];
        return (
          mine === undefined ||
          mine.x !== row.x ||
          !withinRounding(mine.tx, row.tx) ||
          !withinRounding(mine.T, row.T) ||
          !withinRounding(mine.meanValue, row.zbar)
        );
      });
      expect(mismatches).toEqual([]);
    });

    it('has 946 repeat customers', () => {
      expect(derived.filter((customer) => customer.x > 0)).toHaveLength(946);
    });

    it('counts 1,882 purchase days in the holdout (1997-10-01 to 1998-06-30)', () => {
      expect(derived.reduce((sum, customer) => sum + (customer.actual ?? 0), 0)).toBe(1_882);
    });
  });
});

describe('compressSummaries', () => {
  it('adds up the counts of identical summaries and keeps different ones apart', () => {
    const one = { x: 0, tx: 0, T: 38, meanValue: 0, count: 1 };
    const other = { x: 2, tx: 10, T: 38, meanValue: 12.5, count: 1 };
    expect(compressSummaries([one, other, one, { ...one, count: 3 }, { ...other, meanValue: 12 }])).toEqual([
      { ...one, count: 5 },
      other,
      { ...other, meanValue: 12 },
    ]);
  });

  it('keeps the CDNOW sample whole: the counts add up to 2,357 customers in fewer terms', () => {
    const compressed = compressSummaries(cdnowSummaries());
    expect(compressed.reduce((sum, summary) => sum + summary.count, 0)).toBe(2_357);
    expect(compressed.length).toBeLessThan(1_100);
  });
});

describe('RepeatSummary', () => {
  it('names the field that breaks a rule', () => {
    const result = RepeatSummary.safeParse({ x: 1, tx: 40, T: 30, meanValue: 5, count: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['tx']);
    const noRepeat = RepeatSummary.safeParse({ x: 0, tx: 0, T: 30, meanValue: 5, count: 1 });
    expect(noRepeat.error?.issues[0]?.path).toEqual(['meanValue']);
    expect(RepeatSummary.safeParse({ x: 1, tx: 4, T: 30, meanValue: 5, count: 0 }).success).toBe(false);
  });
});
