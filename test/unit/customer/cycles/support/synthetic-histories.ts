import type { CustomerCard } from '../../../../../lib/domain/customer-card.js';
import { applyOrder } from '../../../../../lib/domain/customer-card-updates.js';
import type { Product } from '../../../../../lib/domain/product.js';
import { seededRandom } from '../../../../../scripts/demo/seeded-random.js';
import { anOrder } from '../../support/customers.js';

const DAY_MS = 86_400_000;

/** What one kind of customer buys and how often; `gapDays` returns undefined when the customer stops buying. */
export interface BuyingPattern {
  /** The sku of each purchase: one sku, or a new model now and then (`n` counts the customer's purchases). */
  sku: (n: number) => string;
  category: string;
  price: number;
  gapDays: (random: ReturnType<typeof seededRandom>) => number | undefined;
}

export interface SyntheticBase {
  cards: CustomerCard[];
  /**
   * Every gap drawn after a purchase made before now, completed or not:
   * Infinity for a customer who stopped. The truth the estimates are checked
   * against; the cards never see the gaps that run past now.
   */
  gaps: number[];
}

/**
 * Customers of one pattern, built order by order through applyOrder: each
 * starts at a random time `startDaysAgo` before now and buys on the pattern's
 * gaps until it stops or reaches now.
 */
export const syntheticBase = (options: {
  seed: number;
  customers: number;
  now: Date;
  startDaysAgo: readonly [number, number];
  pattern: BuyingPattern;
  catalog?: ReadonlyMap<string, Product>;
}): SyntheticBase => {
  const random = seededRandom(options.seed);
  const { now, pattern } = options;
  const catalog = options.catalog ?? new Map<string, Product>();
  const cards: CustomerCard[] = [];
  const gaps: number[] = [];
  for (let customer = 0; customer < options.customers; customer += 1) {
    let at = now.getTime() - random.between(options.startDaysAgo[0], options.startDaysAgo[1]) * DAY_MS;
    let card: CustomerCard | undefined;
    for (let n = 0; at <= now.getTime(); n += 1) {
      card = applyOrder(
        card,
        anOrder({
          orderId: `c${customer}-o${n}`,
          contactId: `c${customer}`,
          at: new Date(at).toISOString(),
          revenue: pattern.price,
          lines: [{ sku: pattern.sku(n), category: pattern.category, price: pattern.price, quantity: 1 }],
        }),
        catalog,
      );
      const gap = pattern.gapDays(random);
      gaps.push(gap ?? Number.POSITIVE_INFINITY);
      if (gap === undefined) break;
      at += gap * DAY_MS;
    }
    if (card !== undefined) cards.push(card);
  }
  return { cards, gaps };
};

/** The median of the drawn gaps, Infinity (stopped) counting as longer than any. */
export const medianOf = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new RangeError('no values');
  return middle;
};

/**
 * What a naive estimate makes of the same cards: the mean of the completed
 * intervals in a category (first to last purchase day over the intervals
 * between), leaving out everyone who has not bought again yet.
 */
export const naiveMeanInterval = (cards: readonly CustomerCard[], category: string): number | undefined => {
  let days = 0;
  let intervals = 0;
  for (const card of cards) {
    const history = card.categoryHistory?.[category];
    if (history === undefined || history.days < 2) continue;
    days += (Date.parse(history.lastAt) - Date.parse(history.firstAt)) / DAY_MS;
    intervals += history.days - 1;
  }
  return intervals === 0 ? undefined : days / intervals;
};
