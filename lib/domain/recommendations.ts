import { z } from 'zod';
import { ancestorsOf } from './category-path.js';
import type { CustomerCard } from './customer-card.js';
import { own } from './own-property.js';
import type { Product } from './product.js';

const DAY_MS = 86_400_000;

export const RecommendationReason = z.enum(['new-in-category', 'bought-together', 'category-affinity']);
export type RecommendationReason = z.infer<typeof RecommendationReason>;

/** One product to show, in the shape templates read (`item.name`, `item.url`). */
export const RecommendedItem = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  price: z.number(),
  url: z.string().optional(),
  image: z.string().optional(),
  reason: RecommendationReason,
});
export type RecommendedItem = z.infer<typeof RecommendedItem>;

export const CategoryScore = z.object({ category: z.string(), score: z.number() });
export type CategoryScore = z.infer<typeof CategoryScore>;

export const SkuScore = z.object({ sku: z.string(), score: z.number() });
export type SkuScore = z.infer<typeof SkuScore>;

export const RecommendOptions = z.object({
  /** How many items at most. */
  limit: z.number().int().min(1).max(100),
  /** Days after which a category's units count half. */
  halfLifeDays: z.number().positive(),
  /** How far back "new" reaches for a customer never recommended to. */
  lookbackDays: z.number().positive(),
  /** Give each owned product one equal vote in "bought together"; see boughtTogether. */
  normalizeCoPurchases: z.boolean(),
});
export type RecommendOptions = z.infer<typeof RecommendOptions>;

export const defaultRecommendOptions: RecommendOptions = {
  limit: 6,
  halfLifeDays: 90,
  lookbackDays: 30,
  normalizeCoPurchases: true,
};

/** What the recommenders read besides the card; the caller fetches it. */
export interface RecommendationInputs {
  /** Products by sku: details for co-purchased skus, and the pool category affinity picks from. */
  catalog: ReadonlyMap<string, Product>;
  /** For the skus the customer owns: other sku → how many orders had both. */
  coPurchases: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Products released in the customer's categories since `newSince(card, now)`. */
  releases: readonly Product[];
  /** Units sold per sku, to order a category's products for category affinity; newest first without it. */
  popularity?: ReadonlyMap<string, number>;
}

const bySkuName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const ownedSkus = (card: CustomerCard): ReadonlySet<string> =>
  new Set(card.ownedProducts.map((product) => product.sku));

/** A product synced without a launch date counts as released when the catalog first saw it. */
const releasedAt = (product: Product): number => Date.parse(product.publishedAt ?? product.createdAt);

/**
 * Units per category, each category's units decayed by the time since the
 * category was last bought: Σ units × 0.5^(age / half-life), highest first.
 * It reads `categories` and `categoryLastPurchasedAt`, which cover every
 * order (`ownedProducts` keeps 50 skus, one purchase each), and so treats all
 * of a category's units as bought on its last purchase: a category the
 * customer still buys keeps its weight. A category without a date (a card
 * written before the dates were kept) is dated to the first purchase.
 */
export const categoryAffinity = (card: CustomerCard, now: Date, halfLifeDays = 90): CategoryScore[] => {
  const fallback = card.firstPurchaseAt ?? card.lastPurchaseAt;
  return Object.entries(card.categories)
    .filter(([, units]) => units > 0)
    .map(([category, units]) => {
      const at = own(card.categoryLastPurchasedAt, category) ?? fallback;
      const ageDays = at === undefined ? 0 : Math.max(0, (now.getTime() - Date.parse(at)) / DAY_MS);
      return { category, score: units * 0.5 ** (ageDays / halfLifeDays) };
    })
    .sort((a, b) => b.score - a.score || bySkuName(a.category, b.category));
};

/**
 * Other skus ranked by how often they were bought with what the customer
 * owns, owned skus left out. Normalized (the default), each owned sku's
 * counts are first divided by that sku's total, so score(o) = Σ_s count(s, o)
 * / Σ_x count(s, x): each owned product gets one equal vote, and one
 * bestseller with thousands of co-purchases cannot drown the rest. Raw, the
 * score is Σ_s count(s, o).
 */
export const boughtTogether = (
  card: CustomerCard,
  coPurchases: ReadonlyMap<string, ReadonlyMap<string, number>>,
  normalize = true,
): SkuScore[] => {
  const owned = ownedSkus(card);
  const scores = new Map<string, number>();
  for (const sku of owned) {
    const row = [...(coPurchases.get(sku) ?? new Map<string, number>())].filter(
      ([other, count]) => other !== sku && count > 0,
    );
    const total = row.reduce((sum, [, count]) => sum + count, 0);
    for (const [other, count] of row) {
      if (owned.has(other)) continue;
      scores.set(other, (scores.get(other) ?? 0) + (normalize ? count / total : count));
    }
  }
  return [...scores]
    .map(([sku, score]) => ({ sku, score }))
    .sort((a, b) => b.score - a.score || bySkuName(a.sku, b.sku));
};

/** Where "new in your categories" starts: the last time it recommended, else `lookbackDays` ago. */
export const newSince = (card: CustomerCard, now: Date, lookbackDays = 30): Date =>
  card.lastRecommendedAt === undefined
    ? new Date(now.getTime() - lookbackDays * DAY_MS)
    : new Date(card.lastRecommendedAt);

/**
 * How much a product's category draws the customer: the affinity of the
 * category itself, else of the nearest level above it they bought in (a
 * `books` purchase from before the shop had genres covers `books/crime`);
 * undefined when they bought in neither. A crime reader's affinity never
 * reaches `books/cooking`: categories are compared on the full path.
 */
const affinityFor = (affinity: ReadonlyMap<string, number>, category: string): number | undefined =>
  ancestorsOf(category)
    .reverse()
    .map((level) => affinity.get(level))
    .find((score) => score !== undefined);

const affinityMap = (card: CustomerCard, now: Date, halfLifeDays?: number): ReadonlyMap<string, number> =>
  new Map(categoryAffinity(card, now, halfLifeDays).map(({ category, score }) => [category, score]));

/**
 * Releases after `newSince` and not after now, in the customer's categories
 * (or under a department they bought in), not owned, each once: ranked by
 * the category's affinity, then newest first.
 */
export const newInCategories = (
  card: CustomerCard,
  releases: readonly Product[],
  now: Date,
  options: { lookbackDays?: number; halfLifeDays?: number } = {},
): Product[] => {
  const since = newSince(card, now, options.lookbackDays).getTime();
  const affinity = affinityMap(card, now, options.halfLifeDays);
  const owned = ownedSkus(card);
  const score = (product: Product): number => affinityFor(affinity, product.category) ?? 0;
  // A book is read from `books/crime` and from `books` when the customer bought in both.
  const unique = [...new Map(releases.map((product) => [product.sku, product])).values()];
  return unique
    .filter((product) => {
      const at = releasedAt(product);
      return (
        at > since &&
        at <= now.getTime() &&
        affinityFor(affinity, product.category) !== undefined &&
        !owned.has(product.sku)
      );
    })
    .sort((a, b) => score(b) - score(a) || releasedAt(b) - releasedAt(a) || bySkuName(a.sku, b.sku));
};

/**
 * Catalog products in the customer's categories (or under a department they
 * bought in), not owned, ranked by the category's affinity, then units sold,
 * then newest first.
 */
export const categoryPicks = (
  card: CustomerCard,
  catalog: ReadonlyMap<string, Product>,
  now: Date,
  options: { halfLifeDays?: number; popularity?: ReadonlyMap<string, number> } = {},
): Product[] => {
  const affinity = affinityMap(card, now, options.halfLifeDays);
  const owned = ownedSkus(card);
  const sold = (product: Product): number => options.popularity?.get(product.sku) ?? 0;
  const score = (product: Product): number => affinityFor(affinity, product.category) ?? 0;
  return [...catalog.values()]
    .filter((product) => affinityFor(affinity, product.category) !== undefined && !owned.has(product.sku))
    .sort(
      (a, b) =>
        score(b) - score(a) || sold(b) - sold(a) || releasedAt(b) - releasedAt(a) || bySkuName(a.sku, b.sku),
    );
};

const itemOf = (product: Product, reason: RecommendationReason): RecommendedItem => ({
  sku: product.sku,
  name: product.name,
  category: product.category,
  price: product.price,
  ...(product.url === undefined ? {} : { url: product.url }),
  ...(product.image === undefined ? {} : { image: product.image }),
  reason,
});

/**
 * The three recommenders merged round-robin (new in category, bought
 * together, category affinity, then again), so each one is represented
 * before any gets a second slot; a sku two recommenders propose keeps the
 * reason of the first that placed it. Owned skus never appear, and
 * co-purchased skus missing from the catalog are skipped (there is nothing
 * to show for them). The caller sets `lastRecommendedAt` when it sends.
 */
export const recommend = (
  card: CustomerCard,
  inputs: RecommendationInputs,
  options: { now: Date } & Partial<RecommendOptions>,
): RecommendedItem[] => {
  const { now, ...overrides } = options;
  const settings: RecommendOptions = { ...defaultRecommendOptions, ...overrides };
  const sources: RecommendedItem[][] = [
    newInCategories(card, inputs.releases, now, settings).map((product) =>
      itemOf(product, 'new-in-category'),
    ),
    boughtTogether(card, inputs.coPurchases, settings.normalizeCoPurchases).flatMap(({ sku }) => {
      const product = inputs.catalog.get(sku);
      return product === undefined ? [] : [itemOf(product, 'bought-together')];
    }),
    categoryPicks(card, inputs.catalog, now, {
      halfLifeDays: settings.halfLifeDays,
      ...(inputs.popularity === undefined ? {} : { popularity: inputs.popularity }),
    }).map((product) => itemOf(product, 'category-affinity')),
  ];
  const owned = ownedSkus(card);
  const queues = sources.map((source) => [...source]);
  const picked = new Map<string, RecommendedItem>();
  while (picked.size < settings.limit && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      if (picked.size >= settings.limit) break;
      let item = queue.shift();
      while (item !== undefined && (picked.has(item.sku) || owned.has(item.sku))) item = queue.shift();
      if (item !== undefined) picked.set(item.sku, item);
    }
  }
  return [...picked.values()];
};
