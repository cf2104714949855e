import { z } from 'zod';
import {
  type CustomerCard,
  type RepeatBuyer,
  type RfmScores,
  repeatSummaryOf,
  type ValueTier,
} from './customer-card.js';
import { daysPerUnit } from './repeat-summary.js';
import { fittedCustomerValue, ValueModelFit } from './value-model.js';

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

/** The CLV's assumptions; see docs/customer-value.md for the formulas. */
export const ClvModel = z.object({
  /** How many years ahead the value is predicted (both models). */
  horizonYears: z.number().int().min(1).max(50),
  /** The heuristic's chance a customer still buying this year is still buying the next. */
  annualRetention: z.number().min(0).max(1),
  /** The fitted model's yearly discount rate of money (0.1 for 10 %). */
  annualDiscountRate: z.number().min(0).max(1).default(0.1),
});
export type ClvModel = z.infer<typeof ClvModel>;

export const defaultClvModel: ClvModel = { horizonYears: 3, annualRetention: 0.5, annualDiscountRate: 0.1 };

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
  /** Which value model scores customers; absent (the heuristic) until a refresh fitted or tried to. */
  valueModel: z
    .discriminatedUnion('status', [
      z.object({
        status: z.literal('fitted'),
        fit: ValueModelFit,
        /** The quintile cuts of the fitted CLV over the base (minor units, ascending), for valueScore and vip. */
        clvCuts: Cuts.optional(),
      }),
      /** Not fitted, and why (too few repeat customers, no convergence): the heuristic scores. */
      z.object({ status: z.literal('heuristic'), reason: z.string() }),
    ])
    .optional(),
  /** The CLV's horizon and discount, as the refresh was configured; the defaults before. */
  clv: ClvModel.optional(),
});
export type RfmThresholds = z.infer<typeof RfmThresholds>;

/** What the thresholds need of a customer; a CustomerCard is one. */
export type RfmBaseCustomer = Pick<CustomerCard, 'orders' | 'revenue' | 'lastPurchaseAt' | 'firstPurchaseAt'>;

const round2 = (value: number): number => Math.round(value * 100) / 100;

const daysSince = (iso: string, now: Date): number => Math.max(0, (now.getTime() - Date.parse(iso)) / DAY_MS);

// Whole days, so "bought today" and "bought this morning" tie instead of splitting a quintile by the hour.
const wholeDaysSince = (iso: string, now: Date): number => Math.floor(daysSince(iso, now));

/**
 * Cut k (1–4) is the value at rank ⌈k·n/5⌉ when the values are ordered from
 * worst to best. A customer strictly better than cut k beats at least k/5 of
 * the base, so the score is 1 + ⌊5 × share of the base strictly beaten⌋.
 */
const cutsOf = (worstToBest: readonly number[]): z.infer<typeof Cuts> =>
  orderedCuts(worstToBest.map((value) => ({ value, weight: 1 })));

const orderedCuts = (worstToBest: ReadonlyArray<{ value: number; weight: number }>): z.infer<typeof Cuts> => {
  const total = worstToBest.reduce((sum, { weight }) => sum + weight, 0);
  const cut = (k: number): number => {
    const rank = Math.ceil((k * total) / 5);
    let seen = 0;
    for (const { value, weight } of worstToBest) {
      seen += weight;
      if (seen >= rank) return value;
    }
    throw new RangeError(`no quintile cut ${k} in a base of ${total}`);
  };
  return [cut(1), cut(2), cut(3), cut(4)];
};

/**
 * The quintile cuts of values that stand for `weight` customers each (a fitted
 * CLV per distinct summary), higher being better: cut k is the value at the
 * weighted rank ⌈k·n/5⌉, n the total weight, as cutsOf takes them one by one.
 */
export const weightedQuintileCuts = (
  values: ReadonlyArray<{ value: number; weight: number }>,
): z.infer<typeof Cuts> => orderedCuts([...values].sort((a, b) => a.value - b.value));

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
 * 1–5, the top fifth by value scoring 5: once the models are fitted, the
 * quintile of the fitted CLV over the base (by the stored cuts, the RFM rule
 * of ties); before, the RFM monetary score (net revenue).
 */
const valueScoreFrom = (thresholds: RfmThresholds, clv: number, monetary: number): number => {
  const model = thresholds.valueModel;
  if (model?.status !== 'fitted' || model.clvCuts === undefined) return monetary;
  return scoreOf(model.clvCuts.filter((cut) => clv > cut).length);
};

const tierFrom = (
  card: RfmBaseCustomer,
  risk: number | undefined,
  valueScore: number,
  now: Date,
): ValueTier => {
  if (risk !== undefined && risk > LAPSED_CHURN_RISK) return 'lapsed';
  if (valueScore === 5) return 'vip';
  if (
    card.orders <= 1 &&
    (card.firstPurchaseAt === undefined || daysSince(card.firstPurchaseAt, now) <= NEW_CUSTOMER_DAYS)
  ) {
    return 'new';
  }
  return 'regular';
};

/**
 * The first rule that holds: `lapsed` (churn risk above 2), `vip` (value score
 * 5: the top fifth by fitted CLV once the models are fitted, by net revenue
 * before), `new` (at most one order, within the last 90 days), else `regular`.
 * Lapsed comes first because the tier says what to do next, and a big spender
 * who stopped buying needs winning back; `rfm.monetary` still shows they were
 * valuable.
 */
export const valueTier = (
  card: RepeatBuyer,
  thresholds: RfmThresholds,
  now: Date,
  model: ClvModel = defaultClvModel,
): ValueTier => {
  const value = customerValueOf(card, thresholds, now, model);
  return tierFrom(card, value.churnRisk, value.valueScore, now);
};

const DAYS_PER_YEAR = 365;

/** The card's value figures by whichever model the thresholds carry; see docs/customer-value.md. */
const customerValueOf = (card: RepeatBuyer, thresholds: RfmThresholds, now: Date, fallback: ClvModel) => {
  const model = thresholds.clv ?? fallback;
  const rfm = scoreRfm(card, thresholds, now);
  const risk = churnRisk(card, now, thresholds.medianIntervalDays);
  const fitted = thresholds.valueModel?.status === 'fitted' ? thresholds.valueModel.fit : undefined;
  if (card.orders === 0 || card.lastPurchaseAt === undefined)
    return { rfm, churnRisk: risk, valueScore: rfm.monetary, figures: { predictedClv: 0 } };
  if (fitted !== undefined) {
    const perUnit = daysPerUnit[fitted.unit];
    const days = repeatSummaryOf(card, now);
    const value = fittedCustomerValue(
      fitted,
      { x: days.x, tx: days.tx / perUnit, T: days.T / perUnit, meanValue: days.meanValue },
      { horizonDays: model.horizonYears * DAYS_PER_YEAR, annualDiscountRate: model.annualDiscountRate },
    );
    const predictedClv = Math.round(value.clv);
    return {
      rfm,
      churnRisk: risk,
      valueScore: valueScoreFrom(thresholds, predictedClv, rfm.monetary),
      figures: {
        valueModel: 'bg-nbd/gamma-gamma' as const,
        predictedClv,
        pAlive: roundTo(value.pAlive, 4),
        expectedPurchases90: roundTo(value.expectedPurchases90, 3),
        expectedPurchases365: roundTo(value.expectedPurchases365, 3),
        expectedOrderValue: Math.round(value.expectedOrderValue),
      },
    };
  }
  const within = (days: number) =>
    roundTo(heuristicPurchasesWithin(card, now, thresholds.medianIntervalDays, days, model), 3);
  return {
    rfm,
    churnRisk: risk,
    valueScore: rfm.monetary,
    figures: {
      valueModel: 'heuristic' as const,
      predictedClv: predictedClv(card, now, thresholds.medianIntervalDays, model),
      expectedPurchases90: within(90),
      expectedPurchases365: within(365),
      expectedOrderValue: card.averageOrderValue,
    },
  };
};

const roundTo = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * Purchases the heuristic expects of the customer over the next `days`:
 * purchases a year × the share of each year inside the window × retention^year
 * × chance still active, where purchases a year = 365 / usual interval (the
 * base median for one-order customers) and chance still active = 1 / churn
 * risk once overdue (1 while not). 0 for a card without purchases.
 */
export const heuristicPurchasesWithin = (
  card: RfmBaseCustomer,
  now: Date,
  medianIntervalDays: number,
  days: number,
  model: ClvModel = defaultClvModel,
): number => {
  const risk = churnRisk(card, now, medianIntervalDays);
  if (risk === undefined) return 0;
  const purchasesPerYear = 365 / (usualIntervalDays(card) ?? medianIntervalDays);
  let activeYears = 0;
  for (let year = 0; year * 365 < days; year += 1) {
    activeYears += model.annualRetention ** year * Math.min(1, days / 365 - year);
  }
  const stillActive = risk <= 1 ? 1 : 1 / risk;
  return purchasesPerYear * activeYears * stillActive;
};

/**
 * Future value over the horizon, in the card's minor units (rounded once, at the
 * end): AOV × the purchases heuristicPurchasesWithin expects over the horizon's
 * whole years, which is AOV × purchases a year × Σ_{y=0}^{H−1} retention^y ×
 * chance still active. The heuristic stands while the base is too small for the
 * fitted models (docs/customer-value.md).
 */
export const predictedClv = (
  card: RfmBaseCustomer,
  now: Date,
  medianIntervalDays: number,
  model: ClvModel = defaultClvModel,
): number => {
  // Linear in money, so minor units give the same value as major ones, scaled; no rounding before here.
  const aov = card.orders > 0 ? card.revenue / card.orders : 0;
  return Math.round(
    aov * heuristicPurchasesWithin(card, now, medianIntervalDays, model.horizonYears * 365, model),
  );
};

/** What refreshCustomerValue sets; a card's old values of these are dropped first, so none outlives its model. */
const valueFields = [
  'churnRisk',
  'valueModel',
  'pAlive',
  'expectedPurchases90',
  'expectedPurchases365',
  'expectedOrderValue',
  'valueScore',
] as const;

/**
 * The card with its value fields recomputed as of now: rfm, tier, churn risk,
 * value score, and predictedClv with the expected purchases and order value
 * (and pAlive) by the fitted models once the thresholds carry a fit, by the
 * heuristic before; `valueModel` says which.
 */
export const refreshCustomerValue = (
  card: CustomerCard,
  thresholds: RfmThresholds,
  now: Date,
  model: ClvModel = defaultClvModel,
): CustomerCard => {
  const kept: CustomerCard = { ...card };
  for (const field of valueFields) delete kept[field];
  const value = customerValueOf(card, thresholds, now, model);
  return {
    ...kept,
    rfm: value.rfm,
    tier: tierFrom(card, value.churnRisk, value.valueScore, now),
    ...value.figures,
    ...(card.orders === 0 ? {} : { valueScore: value.valueScore }),
    ...(value.churnRisk === undefined ? {} : { churnRisk: value.churnRisk }),
  };
};
