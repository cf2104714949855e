import { z } from 'zod';
import type { CustomerCard, RfmScores, ValueTier } from './customer-card.js';

const DAY_MS = 86_400_000;

/** Below five customers "a fifth of the base" is less than one person, so quintiles say nothing. */
export const MIN_RFM_BASE = 5;
/** What every axis scores while the base is too small for quintiles: the middle, so nobody is singled out. */
export const NEUTRAL_RFM_SCORE = 3;
/** More than twice the usual interval without an order. */
export const LAPSED_CHURN_RISK = 2;
/** How long after their only order a customer counts as new. */
export const NEW_CUSTOMER_DAYS = 90;
/** The usual interval assumed while the base has no repeat customer to take a median from: a quarter. */
export const DEFAULT_INTERVAL_DAYS = 90;
/**
 * Orders closer together than a day (a split basket, a forgotten item) say
 * nothing about how often someone buys; such a customer is treated as a
 * one-order customer for their interval.
 */
export const MIN_INTERVAL_DAYS = 1;

const Cuts = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/**
 * Base-wide statistics the scores are taken against: computed from every
 * customer on a schedule, stored as a config item, and read to score one
 * purchase as it arrives. See docs/customer-value.md.
 */
export const RfmThresholds = z.object({
  computedAt: z.iso.datetime(),
  /** Customers (at least one order) the statistics were taken from. */
  customers: z.number().int().min(0),
  /** The quintile cuts; absent while the base has fewer than MIN_RFM_BASE customers. */
  quintiles: z
    .object({
      /** Whole days since the last purchase, descending: fewer days than cut k scores at least k + 1. */
      recencyDays: Cuts,
      /** Orders, ascending: more orders than cut k scores at least k + 1. */
      frequency: Cuts,
      /**
       * Net revenue in minor units, ascending: more than cut k scores at least
       * k + 1. Quintiles only compare, so the unit changes no score.
       */
      monetary: Cuts,
    })
    .optional(),
  /** Median of repeat customers' usual interval between orders; one-order customers' churn risk uses it. */
  medianIntervalDays: z.number().positive(),
});
export type RfmThresholds = z.infer<typeof RfmThresholds>;

/** What the thresholds need of a customer; a CustomerCard is one. */
export type RfmBaseCustomer = Pick<CustomerCard, 'orders' | 'revenue' | 'lastPurchaseAt' | 'firstPurchaseAt'>;

/** The CLV model's assumptions; see docs/customer-value.md for the formula. */
export const ClvModel = z.object({
  /** How many years ahead the value is predicted. */
  horizonYears: z.number().int().min(1).max(50),
  /** The chance a customer still buying this year is still buying the next. */
  annualRetention: z.number().min(0).max(1),
});
export type ClvModel = z.infer<typeof ClvModel>;

export const defaultClvModel: ClvModel = { horizonYears: 3, annualRetention: 0.5 };

const round2 = (value: number): number => Math.round(value * 100) / 100;

const daysSince = (iso: string, now: Date): number => Math.max(0, (now.getTime() - Date.parse(iso)) / DAY_MS);

// Whole days, so "bought today" and "bought this morning" tie instead of splitting a quintile by the hour.
const wholeDaysSince = (iso: string, now: Date): number => Math.floor(daysSince(iso, now));

/**
 * Cut k (1–4) is the value at rank ⌈k·n/5⌉ when the values are ordered from
 * worst to best. A customer strictly better than cut k beats at least k/5 of
 * the base, so the score is 1 + ⌊5 × share of the base strictly beaten⌋.
 */
const cutsOf = (worstToBest: readonly number[]): z.infer<typeof Cuts> => {
  const cut = (k: number): number => {
    const value = worstToBest[Math.ceil((k * worstToBest.length) / 5) - 1];
    if (value === undefined) throw new RangeError(`no quintile cut ${k} in a base of ${worstToBest.length}`);
    return value;
  };
  return [cut(1), cut(2), cut(3), cut(4)];
};

const median = (values: readonly number[]): number | undefined => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const upper = sorted[Math.floor(middle)];
  if (upper === undefined) return undefined;
  const lower = sorted[Math.ceil(middle) - 1];
  return lower === undefined ? upper : (lower + upper) / 2;
};

/** Days between orders on average, from the first and last purchase; undefined for one-order customers. */
export const usualIntervalDays = (card: RfmBaseCustomer): number | undefined => {
  if (card.orders < 2 || card.firstPurchaseAt === undefined || card.lastPurchaseAt === undefined) {
    return undefined;
  }
  const interval =
    (Date.parse(card.lastPurchaseAt) - Date.parse(card.firstPurchaseAt)) / DAY_MS / (card.orders - 1);
  return interval >= MIN_INTERVAL_DAYS ? interval : undefined;
};

/**
 * The quintile cuts of the base (customers with at least one order; others
 * are skipped) and the median repeat interval. Needs every customer's three
 * numbers in memory: about 24 MB for a million customers.
 */
export const rfmThresholds = (customers: readonly RfmBaseCustomer[], now: Date): RfmThresholds => {
  const base = customers.flatMap((customer) =>
    customer.orders > 0 && customer.lastPurchaseAt !== undefined
      ? [
          {
            orders: customer.orders,
            revenue: customer.revenue,
            lastPurchaseAt: customer.lastPurchaseAt,
            firstPurchaseAt: customer.firstPurchaseAt,
            days: wholeDaysSince(customer.lastPurchaseAt, now),
          },
        ]
      : [],
  );
  const intervals = base.flatMap((customer) => {
    const interval = usualIntervalDays(customer);
    return interval === undefined ? [] : [interval];
  });
  return {
    computedAt: now.toISOString(),
    customers: base.length,
    ...(base.length < MIN_RFM_BASE
      ? {}
      : {
          quintiles: {
            recencyDays: cutsOf(base.map((c) => c.days).sort((a, b) => b - a)),
            frequency: cutsOf(base.map((c) => c.orders).sort((a, b) => a - b)),
            monetary: cutsOf(base.map((c) => c.revenue).sort((a, b) => a - b)),
          },
        }),
    medianIntervalDays: median(intervals) ?? DEFAULT_INTERVAL_DAYS,
  };
};

// Four cuts, so the count of cuts passed is 0–4 and the score 1–5.
const scoreOf = (cutsPassed: number): number => 1 + cutsPassed;

const recencyCutsPassed = (card: RfmBaseCustomer, cuts: readonly number[], now: Date): number => {
  if (card.orders === 0 || card.lastPurchaseAt === undefined) return 0;
  const days = wholeDaysSince(card.lastPurchaseAt, now);
  return cuts.filter((cut) => days < cut).length;
};

/**
 * Scores one customer against stored thresholds, so a purchase is scored as
 * it arrives without reading the base. Equal values always score the same.
 */
export const scoreRfm = (card: RfmBaseCustomer, thresholds: RfmThresholds, now: Date): RfmScores => {
  const quintiles = thresholds.quintiles;
  const scores =
    quintiles === undefined
      ? { recency: NEUTRAL_RFM_SCORE, frequency: NEUTRAL_RFM_SCORE, monetary: NEUTRAL_RFM_SCORE }
      : {
          recency: scoreOf(recencyCutsPassed(card, quintiles.recencyDays, now)),
          frequency: scoreOf(quintiles.frequency.filter((cut) => card.orders > cut).length),
          monetary: scoreOf(quintiles.monetary.filter((cut) => card.revenue > cut).length),
        };
  return {
    ...scores,
    segment: `${scores.recency}${scores.frequency}${scores.monetary}`,
    scoredAt: now.toISOString(),
  };
};

/**
 * Days since the last order divided by the customer's usual interval (the
 * base's median interval for one-order customers), to two decimals; 1 means
 * "due now". Undefined for a card without purchases.
 */
export const churnRisk = (
  card: RfmBaseCustomer,
  now: Date,
  medianIntervalDays: number,
): number | undefined => {
  if (card.orders === 0 || card.lastPurchaseAt === undefined) return undefined;
  const interval = usualIntervalDays(card) ?? medianIntervalDays;
  return round2(daysSince(card.lastPurchaseAt, now) / interval);
};

/**
 * The first rule that holds: `lapsed` (churn risk above 2), `vip` (monetary
 * score 5: the top fifth by net revenue), `new` (at most one order, within
 * the last 90 days), else `regular`. Lapsed comes first because the tier
 * says what to do next, and a big spender who stopped buying needs winning
 * back; `rfm.monetary` still shows they were valuable.
 */
export const valueTier = (card: RfmBaseCustomer, thresholds: RfmThresholds, now: Date): ValueTier => {
  const risk = churnRisk(card, now, thresholds.medianIntervalDays);
  if (risk !== undefined && risk > LAPSED_CHURN_RISK) return 'lapsed';
  if (scoreRfm(card, thresholds, now).monetary === 5) return 'vip';
  if (
    card.orders <= 1 &&
    (card.firstPurchaseAt === undefined || daysSince(card.firstPurchaseAt, now) <= NEW_CUSTOMER_DAYS)
  ) {
    return 'new';
  }
  return 'regular';
};

/**
 * Future value over the horizon, in the card's minor units (rounded once, at the
 * end): AOV × purchases a year × expected active years × chance still active,
 * where
 * purchases a year = 365 / usual interval (the base median for one-order
 * customers), expected active years = Σ_{y=0}^{H−1} retention^y, and chance
 * still active = 1 / churn risk once overdue (1 while not).
 */
export const predictedClv = (
  card: RfmBaseCustomer,
  now: Date,
  medianIntervalDays: number,
  model: ClvModel = defaultClvModel,
): number => {
  const risk = churnRisk(card, now, medianIntervalDays);
  if (risk === undefined) return 0;
  const purchasesPerYear = 365 / (usualIntervalDays(card) ?? medianIntervalDays);
  let activeYears = 0;
  for (let year = 0; year < model.horizonYears; year += 1) activeYears += model.annualRetention ** year;
  const stillActive = risk <= 1 ? 1 : 1 / risk;
  // Linear in money, so minor units give the same value as major ones, scaled; no rounding before here.
  const aov = card.orders > 0 ? card.revenue / card.orders : 0;
  return Math.round(aov * purchasesPerYear * activeYears * stillActive);
};

/** The card with its value fields (rfm, tier, predictedClv, churnRisk) recomputed as of now. */
export const refreshCustomerValue = (
  card: CustomerCard,
  thresholds: RfmThresholds,
  now: Date,
  model: ClvModel = defaultClvModel,
): CustomerCard => {
  const { churnRisk: _stale, ...rest } = card;
  const risk = churnRisk(card, now, thresholds.medianIntervalDays);
  return {
    ...rest,
    rfm: scoreRfm(card, thresholds, now),
    tier: valueTier(card, thresholds, now),
    predictedClv: predictedClv(card, now, thresholds.medianIntervalDays, model),
    ...(risk === undefined ? {} : { churnRisk: risk }),
  };
};
