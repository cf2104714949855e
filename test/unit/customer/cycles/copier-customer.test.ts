import { describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../../../lib/domain/customer-card.js';
import { applyOrder } from '../../../../lib/domain/customer-card-updates.js';
import {
  learnCycles,
  ownIntervalsOf,
  personalCycle,
  withLearnedReplacements,
} from '../../../../lib/domain/replacement-cycles.js';
import { aCard, anOrder, catalogOf } from '../support/customers.js';
import { syntheticBase } from './support/synthetic-histories.js';

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;
const firstCopier = Date.parse('2009-06-01T10:00:00.000Z');
const now = new Date(firstCopier + 17 * YEAR_MS);
// 4.25 years: 1,552.3 days; ± 5 %.
const spacingDays = 4.25 * 365.25;
const within5Percent = (days: number | undefined) => {
  expect(days).toBeGreaterThan(spacingDays * 0.95);
  expect(days).toBeLessThan(spacingDays * 1.05);
};

/** A new model each time, bought at 0, 4.25, 8.5 and 12.75 years. */
const copierCustomer = [0, 1, 2, 3].reduce<CustomerCard>(
  (card, k) =>
    applyOrder(
      card,
      anOrder({
        orderId: `o${k}`,
        at: new Date(firstCopier + k * 4.25 * YEAR_MS).toISOString(),
        revenue: 3000,
        lines: [{ sku: `COPIER-${k}`, category: 'office/copiers', price: 3000, quantity: 1 }],
      }),
      catalogOf(),
    ),
  aCard(),
);

/** Other copier buyers, replacing theirs about every 4 years (1,400 to 1,520 days) over the last 14. */
const otherBuyers = syntheticBase({
  seed: 4,
  customers: 40,
  now,
  startDaysAgo: [0, 14 * 365.25],
  pattern: {
    sku: (n) => `COPIER-${n}`,
    category: 'office/copiers',
    price: 3000,
    gapDays: (random) => random.between(1400, 1520),
  },
});

describe('the copier customer: four copiers 4.25 years apart, 17 years after the first', () => {
  const own = ownIntervalsOf(copierCustomer.categoryHistory?.['office/copiers']);

  it('has three intervals of their own in office/copiers, 1,552 days on average', () => {
    expect(own?.intervals).toBe(3);
    within5Percent(own?.meanDays);
  });

  describe('with the category’s cycle learned from other copier buyers', () => {
    const cycles = learnCycles([...otherBuyers.cards, copierCustomer], now);
    const learned = cycles.categories.find((cycle) => cycle.key === 'office/copiers');

    it('learns about four years for the category', () => {
      expect(learned?.medianDays).toBeGreaterThan(1400);
      expect(learned?.medianDays).toBeLessThan(1520);
    });

    it('keeps a personal cycle of about 4.25 years, pulled a little toward the category', () => {
      const cycle = personalCycle(own, learned);

      within5Percent(cycle?.cycleDays);
      expect(cycle?.cycleDays).toBeLessThan(own?.meanDays ?? 0);
      expect(cycle).toMatchObject({ source: 'personal', support: { customers: 1, intervals: 3 } });
    });

    it('dates the last copier’s replacement from it', () => {
      const last = withLearnedReplacements(copierCustomer, cycles, catalogOf()).ownedProducts[0];

      expect(last).toMatchObject({ sku: 'COPIER-3', replacementSource: 'personal' });
      within5Percent(last?.replacementCycleDays);
    });
  });

  describe('without a learned cycle for the category', () => {
    it('keeps its own 4.25 years', () => {
      const cycle = personalCycle(own, undefined);

      within5Percent(cycle?.cycleDays);
      expect(cycle).toMatchObject({ source: 'personal', support: { customers: 1, intervals: 3 } });
    });

    it('dates the last copier’s replacement from its own intervals: due now, 17 years after the first', () => {
      const cycles = learnCycles([copierCustomer], now);
      const last = withLearnedReplacements(copierCustomer, cycles, catalogOf()).ownedProducts[0];

      expect(cycles.categories).toEqual([]);
      expect(last).toMatchObject({ sku: 'COPIER-3', replacementSource: 'personal' });
      within5Percent(last?.replacementCycleDays);
      expect(last?.replacementDueAt).toBe(now.toISOString().slice(0, 10));
    });
  });
});
