import { z } from 'zod';
import {
  boundedPurchaseDays,
  type CustomerCard,
  calendarDaysBetween,
  type OwnedProduct,
  type PurchaseHistory,
  ReplacementSupport,
} from './customer-card.js';
import { catalogReplacement, replacementDueAt } from './customer-card-updates.js';
import { kaplanMeier, type SurvivalObservation, survivalQuantile } from './kaplan-meier.js';
import { own } from './own-property.js';
import type { Product } from './product.js';

/**
 * Replacement cycles learned from purchase history: how long customers take to
 * buy a category (at each level of its path) or a sku again, estimated with
 * Kaplan–Meier over the summaries the cards keep, and a personal cycle per
 * customer shrunk toward it. See docs/customer-value.md.
 */

/** A cycle learned from the customer base for one category level or one sku. */
export const LearnedCycle = z.object({
  kind: z.enum(['category', 'product']),
  /** The category path (one level of it) or the sku. */
  key: z.string(),
  medianDays: z.number().positive(),
  /** Survival drops to 75 %: a quarter of intervals are shorter. */
  q1Days: z.number().positive(),
  /** Survival drops to 25 %; absent when it never does (many customers have not bought again yet). */
  q3Days: z.number().positive().optional(),
  /** Customers with at least one repeat interval. */
  customers: z.number().int().min(0),
  /** Repeat intervals, summed over customers. */
  repeatIntervals: z.number().int().min(0),
  /** Censored intervals: one per customer, the time since their last purchase (or their only one). */
  censored: z.number().int().min(0),
});
export type LearnedCycle = z.infer<typeof LearnedCycle>;

/** Below this support a key gets no estimate: a median of a handful of intervals says little. */
export const CycleSupportMinimum = z.object({
  repeatCustomers: z.number().int().min(1),
  repeatIntervals: z.number().int().min(1),
});
export type CycleSupportMinimum = z.infer<typeof CycleSupportMinimum>;

/** What the daily job learns and stores; keys without enough support, or without a median, are left out. */
export const LearnedCycles = z.object({
  computedAt: z.iso.datetime(),
  minimum: CycleSupportMinimum,
  /** By key. */
  categories: z.array(LearnedCycle),
  /** By sku. */
  products: z.array(LearnedCycle),
});
export type LearnedCycles = z.infer<typeof LearnedCycles>;

export const CycleLearningOptions = z.object({
  minRepeatCustomers: z.number().int().min(1).default(10),
  minRepeatIntervals: z.number().int().min(1).default(20),
});
export type CycleLearningOptions = z.input<typeof CycleLearningOptions>;

/** A customer's own repeat intervals of one thing: how many, and their mean. */
export const OwnIntervals = z.object({
  intervals: z.number().int().min(0),
  meanDays: z.number().positive(),
});
export type OwnIntervals = z.infer<typeof OwnIntervals>;

/** A customer's cycle for one thing, and what it rests on. */
export const PersonalCycle = z.object({
  cycleDays: z.number().positive(),
  /** `learned` when the customer has no interval of their own. */
  source: z.enum(['personal', 'learned']),
  support: ReplacementSupport,
});
export type PersonalCycle = z.infer<typeof PersonalCycle>;

export const PersonalCycleOptions = z.object({
  /** How many intervals the learned median counts as against the customer's own; 2 when absent. */
  priorWeight: z.number().min(0).optional(),
});
export type PersonalCycleOptions = z.infer<typeof PersonalCycleOptions>;

/** Options or own intervals a cycle cannot be computed from, with the field named. */
export class InvalidCycleInputError extends Error {
  override readonly name = 'InvalidCycleInputError';
}

const parsed = <T>(schema: z.ZodType<T>, input: unknown, what: string): T => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = [what, ...(issue?.path ?? [])].join('.');
  throw new InvalidCycleInputError(`${field}: ${issue?.message ?? 'is invalid'}`);
};

/** The card's purchases of an owned sku as a history; entries from before it was kept read as one purchase. */
const productHistory = (product: OwnedProduct): PurchaseHistory => ({
  firstAt: product.firstPurchasedAt ?? product.purchasedAt,
  lastAt: product.purchasedAt,
  days: product.purchaseDays ?? 1,
});

const distinctDays = (history: PurchaseHistory): number =>
  boundedPurchaseDays(history.days, history.firstAt, history.lastAt);

/**
 * The customer's own repeat intervals: days − 1 of them, each taken as their
 * mean (first to last ÷ (days − 1)), since the card keeps no single interval.
 * Undefined with fewer than two purchase days.
 */
export const ownIntervalsOf = (history: PurchaseHistory | undefined): OwnIntervals | undefined => {
  if (history === undefined) return undefined;
  const intervals = distinctDays(history) - 1;
  if (intervals < 1) return undefined;
  return { intervals, meanDays: calendarDaysBetween(history.firstAt, history.lastAt) / intervals };
};

/**
 * What one customer's history says about the interval: its repeat intervals,
 * all at their mean (the card keeps no single one, so their spread within a
 * customer is lost), and one censored interval, from the last purchase to now
 * (from the only purchase for a customer who bought once). Counting the
 * censored ones is what keeps the estimate from being biased short.
 */
export const intervalObservations = (history: PurchaseHistory, now: Date): SurvivalObservation[] => {
  // A clock behind the last purchase watched for no time, not for negative time.
  const censored: SurvivalObservation = {
    duration: Math.max(0, calendarDaysBetween(history.lastAt, now.toISOString())),
    observed: false,
  };
  const own = ownIntervalsOf(history);
  return own === undefined
    ? [censored]
    : [{ duration: own.meanDays, observed: true, weight: own.intervals }, censored];
};

interface Tally {
  customers: number;
  repeatIntervals: number;
  censored: number;
  /** Weight of events and of censored intervals per duration: a million cards share far fewer durations. */
  byDuration: Map<number, { events: number; censored: number }>;
}

const tallied = (tallies: Map<string, Tally>, key: string, history: PurchaseHistory, now: Date): void => {
  const tally = tallies.get(key) ?? { customers: 0, repeatIntervals: 0, censored: 0, byDuration: new Map() };
  tallies.set(key, tally);
  for (const observation of intervalObservations(history, now)) {
    const weight = observation.weight ?? 1;
    const counts = tally.byDuration.get(observation.duration) ?? { events: 0, censored: 0 };
    tally.byDuration.set(observation.duration, counts);
    if (observation.observed) {
      counts.events += weight;
      tally.customers += 1;
      tally.repeatIntervals += weight;
    } else {
      counts.censored += weight;
      tally.censored += weight;
    }
  }
};

const learnedCycle = (
  kind: LearnedCycle['kind'],
  key: string,
  tally: Tally,
  minimum: CycleSupportMinimum,
): LearnedCycle | undefined => {
  if (tally.customers < minimum.repeatCustomers || tally.repeatIntervals < minimum.repeatIntervals)
    return undefined;
  const curve = kaplanMeier(
    [...tally.byDuration].flatMap(([duration, counts]) => [
      ...(counts.events > 0 ? [{ duration, observed: true, weight: counts.events }] : []),
      ...(counts.censored > 0 ? [{ duration, observed: false, weight: counts.censored }] : []),
    ]),
  );
  const medianDays = survivalQuantile(curve, 0.5);
  const q1Days = survivalQuantile(curve, 0.25);
  if (medianDays === undefined || q1Days === undefined) return undefined;
  const q3Days = survivalQuantile(curve, 0.75);
  return {
    kind,
    key,
    medianDays,
    q1Days,
    ...(q3Days === undefined ? {} : { q3Days }),
    customers: tally.customers,
    repeatIntervals: tally.repeatIntervals,
    censored: tally.censored,
  };
};

const byKey = (a: LearnedCycle, b: LearnedCycle): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** What learning reads of a card. */
export type CycleHistoryCard = Pick<CustomerCard, 'categoryHistory' | 'ownedProducts'>;

/**
 * Learns as cards are added, so a job that reads the base page by page never
 * holds it: what it keeps is a count per key and distinct duration.
 */
export interface CycleLearner {
  add(card: CycleHistoryCard): void;
  result(): LearnedCycles;
}

export const cycleLearner = (now: Date, options: CycleLearningOptions = {}): CycleLearner => {
  const { minRepeatCustomers, minRepeatIntervals } = parsed(CycleLearningOptions, options, 'options');
  const minimum = { repeatCustomers: minRepeatCustomers, repeatIntervals: minRepeatIntervals };
  const categories = new Map<string, Tally>();
  const products = new Map<string, Tally>();
  return {
    add: (card) => {
      for (const [key, history] of Object.entries(card.categoryHistory ?? {}))
        tallied(categories, key, history, now);
      for (const product of card.ownedProducts) tallied(products, product.sku, productHistory(product), now);
    },
    result: () => {
      const learned = (kind: LearnedCycle['kind'], tallies: Map<string, Tally>): LearnedCycle[] =>
        [...tallies].flatMap(([key, tally]) => learnedCycle(kind, key, tally, minimum) ?? []).sort(byKey);
      return {
        computedAt: now.toISOString(),
        minimum,
        categories: learned('category', categories),
        products: learned('product', products),
      };
    },
  };
};

/**
 * The cycles of every category level and sku with at least
 * `minRepeatCustomers` repeat customers and `minRepeatIntervals` repeat
 * intervals, and a median: below that there is no estimate for the key.
 */
export const learnCycles = (
  cards: Iterable<CycleHistoryCard>,
  now: Date,
  options: CycleLearningOptions = {},
): LearnedCycles => {
  const learner = cycleLearner(now, options);
  for (const card of cards) learner.add(card);
  return learner.result();
};

/**
 * The customer's cycle for one thing. With a learned estimate, their own mean
 * shrunk toward its median: (n·own + k·median) ÷ (n + k), n their intervals
 * and k `priorWeight`, so a customer with one interval is mostly the base and
 * one with many mostly themselves. Without one, their own mean once they have
 * two intervals (one says too little alone), else none.
 *
 * The support of a personal cycle is the customer's own intervals (1 customer,
 * n intervals), the learned median it was pulled toward weighing as k more; of
 * a learned one, the estimate's customers and intervals.
 */
export const personalCycle = (
  own: OwnIntervals | undefined,
  learned: LearnedCycle | undefined,
  options: PersonalCycleOptions = {},
): PersonalCycle | undefined => {
  // Called for every owned product of every card in the daily job: plain checks, not a schema parse.
  const priorWeight = options.priorWeight ?? 2;
  if (!Number.isFinite(priorWeight) || priorWeight < 0)
    throw new InvalidCycleInputError(
      `options.priorWeight must be a finite number at least 0; got ${priorWeight}`,
    );
  if (own !== undefined && !(Number.isInteger(own.intervals) && own.intervals >= 0))
    throw new InvalidCycleInputError(`own.intervals must be a whole number at least 0; got ${own.intervals}`);
  if (own !== undefined && !(Number.isFinite(own.meanDays) && own.meanDays > 0))
    throw new InvalidCycleInputError(`own.meanDays must be a finite number above 0; got ${own.meanDays}`);
  const n = own?.intervals ?? 0;
  const personal = { customers: 1, intervals: n };
  if (learned !== undefined) {
    if (own === undefined || n === 0)
      return {
        cycleDays: learned.medianDays,
        source: 'learned',
        support: { customers: learned.customers, intervals: learned.repeatIntervals },
      };
    return {
      cycleDays: (n * own.meanDays + priorWeight * learned.medianDays) / (n + priorWeight),
      source: 'personal',
      support: personal,
    };
  }
  return own !== undefined && n >= 2
    ? { cycleDays: own.meanDays, source: 'personal', support: personal }
    : undefined;
};

interface CycleIndex {
  categories: ReadonlyMap<string, LearnedCycle>;
  products: ReadonlyMap<string, LearnedCycle>;
}

// The daily job applies one LearnedCycles to every card: index it once, not once per product.
const indexes = new WeakMap<LearnedCycles, CycleIndex>();
const indexOf = (cycles: LearnedCycles): CycleIndex => {
  const known = indexes.get(cycles);
  if (known !== undefined) return known;
  const index = {
    categories: new Map(cycles.categories.map((cycle) => [cycle.key, cycle])),
    products: new Map(cycles.products.map((cycle) => [cycle.key, cycle])),
  };
  indexes.set(cycles, index);
  return index;
};

const withoutReplacement = ({
  replacementDueAt: _dueAt,
  replacementCycleDays: _cycleDays,
  replacementSource: _source,
  replacementSupport: _support,
  ...product
}: OwnedProduct): OwnedProduct => product;

// Read by people in templates and the admin API; a tenth of a day is finer than the due date anyway.
const tenths = (days: number): number => Math.round(days * 10) / 10;

/**
 * The cycle the product is replaced on, first that applies:
 * 1. the catalog's (`catalogCycleDays`; without it, a cycle the card already
 *    has from the catalog stays: the caller may know only some of the catalog);
 * 2. the product's learned estimate, with the customer's own intervals of the sku;
 * 3. the learned estimate of its own category, with the customer's own
 *    intervals in it;
 * 4. with no learned estimate for either, the customer's own intervals alone
 *    (two at least): of the sku, else of its category.
 * Never from a level above its category: a department's cycle is set by what
 * is bought most often in it (paper), which says nothing of the copier beside
 * it. Returns the product with the due date, cycle, source and support;
 * unchanged when nothing applies, except that a learned or personal cycle
 * computed before and no longer supported is removed.
 */
export const replacementFor = (
  product: OwnedProduct,
  card: Pick<CustomerCard, 'categoryHistory'>,
  cycles: LearnedCycles,
  catalogCycleDays?: number,
): OwnedProduct => {
  if (catalogCycleDays !== undefined)
    return { ...withoutReplacement(product), ...catalogReplacement(product.purchasedAt, catalogCycleDays) };
  // Before sources were kept, only the catalog set a due date.
  if (
    product.replacementSource === 'catalog' ||
    (product.replacementSource === undefined && product.replacementDueAt !== undefined)
  )
    return product;
  const index = indexOf(cycles);
  const category = product.category;
  const productOwn = ownIntervalsOf(productHistory(product));
  const categoryOwn =
    category === undefined ? undefined : ownIntervalsOf(own(card.categoryHistory ?? {}, category));
  const productLearned = index.products.get(product.sku);
  const categoryLearned = category === undefined ? undefined : index.categories.get(category);
  const cycle =
    productLearned !== undefined
      ? personalCycle(productOwn, productLearned)
      : categoryLearned !== undefined
        ? personalCycle(categoryOwn, categoryLearned)
        : (personalCycle(productOwn, undefined) ?? personalCycle(categoryOwn, undefined));
  if (cycle === undefined)
    return product.replacementSource === undefined ? product : withoutReplacement(product);
  return {
    ...withoutReplacement(product),
    replacementDueAt: replacementDueAt(product.purchasedAt, cycle.cycleDays),
    replacementCycleDays: tenths(cycle.cycleDays),
    replacementSource: cycle.source,
    replacementSupport: cycle.support,
  };
};

/**
 * The card with every owned product's replacement recomputed: the daily job
 * after learning, and each arriving order, call it. The catalog's cycle wins
 * for a product that has one there.
 */
export const withLearnedReplacements = <T extends Pick<CustomerCard, 'categoryHistory' | 'ownedProducts'>>(
  card: T,
  cycles: LearnedCycles,
  catalog: ReadonlyMap<string, Product>,
): T => ({
  ...card,
  ownedProducts: card.ownedProducts.map((product) =>
    replacementFor(product, card, cycles, catalog.get(product.sku)?.replacementCycleDays),
  ),
});

/** The most learned cycles stored: the config item must stay far below DynamoDB's 400 KB item limit. */
export const MAX_STORED_CYCLES = { categories: 500, products: 1_000 } as const;

/**
 * The cycles as stored: the best supported ones (most repeat intervals) when
 * there are more than MAX_STORED_CYCLES, each list sorted by key again. A
 * product left out falls back to its category's cycle.
 */
export const storableCycles = (cycles: LearnedCycles): LearnedCycles => {
  const best = (list: readonly LearnedCycle[], limit: number): LearnedCycle[] =>
    list.length <= limit
      ? [...list]
      : [...list]
          .sort((a, b) => b.repeatIntervals - a.repeatIntervals || byKey(a, b))
          .slice(0, limit)
          .sort(byKey);
  return {
    ...cycles,
    categories: best(cycles.categories, MAX_STORED_CYCLES.categories),
    products: best(cycles.products, MAX_STORED_CYCLES.products),
  };
};
