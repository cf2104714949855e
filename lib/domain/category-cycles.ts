import { z } from 'zod';
import { ancestorsOf } from './category-path.js';
import type { Product } from './product.js';
import { CycleSupportMinimum, LearnedCycle, type LearnedCycles } from './replacement-cycles.js';

/**
 * Every category the shop knows, at every level of its paths (from the catalog
 * and from what customers bought), with the replacement cycles the catalog
 * configures for its products and the cycle learned from purchase history:
 * `GET /admin/categories` and `rapport categories`.
 */

const LearnedEstimate = LearnedCycle.omit({ kind: true, key: true });

export const CategoryCycles = z.object({
  category: z.string(),
  /** Catalog products in the category or below it. */
  products: z.number().int().min(0),
  /** The distinct `replacementCycleDays` those products configure, ascending; empty when none does. */
  configuredCycleDays: z.array(z.number().positive()),
  /** The cycle learned from purchase history; absent below the minimum support or without a median. */
  learned: LearnedEstimate.optional(),
});
export type CategoryCycles = z.infer<typeof CategoryCycles>;

export const CategoryList = z.object({
  /** When the cycles were last learned (the daily customer-value refresh); absent before the first. */
  learnedAt: z.iso.datetime().optional(),
  minimum: CycleSupportMinimum.optional(),
  categories: z.array(CategoryCycles),
  /** Cycles learned per product (sku), where enough customers re-bought the same one. */
  products: z.array(LearnedCycle),
});
export type CategoryList = z.infer<typeof CategoryList>;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const categoryList = (
  products: readonly Product[],
  cycles: LearnedCycles | undefined,
): CategoryList => {
  const counted = new Map<string, { products: number; cycles: Set<number> }>();
  const entry = (category: string) => {
    let found = counted.get(category);
    if (found === undefined) {
      found = { products: 0, cycles: new Set() };
      counted.set(category, found);
    }
    return found;
  };
  for (const product of products) {
    if (product.category === undefined) continue;
    for (const level of ancestorsOf(product.category)) {
      const row = entry(level);
      row.products += 1;
      if (product.replacementCycleDays !== undefined) row.cycles.add(product.replacementCycleDays);
    }
  }
  const learned = new Map((cycles?.categories ?? []).map((cycle) => [cycle.key, cycle]));
  for (const key of learned.keys()) entry(key);
  return {
    ...(cycles === undefined ? {} : { learnedAt: cycles.computedAt, minimum: cycles.minimum }),
    categories: [...counted]
      .sort(([a], [b]) => byText(a, b))
      .map(([category, row]) => {
        const estimate = learned.get(category);
        return {
          category,
          products: row.products,
          configuredCycleDays: [...row.cycles].sort((a, b) => a - b),
          ...(estimate === undefined ? {} : { learned: LearnedEstimate.parse(estimate) }),
        };
      }),
    products: cycles?.products ?? [],
  };
};
