import { z } from 'zod';
import {
  AmountTooLargeError,
  CurrencyCode,
  fallbackCurrency,
  fromMinorUnits,
  MinorUnits,
  TooManyDecimalsError,
  toMinorUnits,
} from './money.js';

const DAY_MS = 86_400_000;

/** The UTC calendar day of a moment, as days since 1970-01-01: the card keeps no time zone. */
export const utcDayOf = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);

/**
 * Whole calendar days (UTC) from one moment's date to another's. Orders on one
 * date are 0 days apart whatever their hours, so a split basket never makes a repeat.
 */
export const calendarDaysBetween = (from: string, to: string): number => utcDayOf(to) - utcDayOf(from);

/**
 * Distinct purchase days as counted, bounded by the days from the first to the
 * last: the count can only run over when late orders land on days already
 * counted (see applyOrder), and never past one purchase a day.
 */
export const boundedPurchaseDays = (counted: number, firstAt: string, lastAt: string): number =>
  Math.min(counted, calendarDaysBetween(firstAt, lastAt) + 1);

/**
 * Purchases of one thing (a category at one level, a sku) as a summary the card
 * can afford to keep for every category: the first and last purchase and the
 * distinct UTC days with one, not every order.
 */
export const PurchaseHistory = z.object({
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
  days: z.number().int().min(1),
});
export type PurchaseHistory = z.infer<typeof PurchaseHistory>;

/** Where a replacement cycle comes from: the catalog, the customer's own intervals, or other customers'. */
export const ReplacementSource = z.enum(['catalog', 'personal', 'learned']);
export type ReplacementSource = z.infer<typeof ReplacementSource>;

/** What a learned or personal cycle rests on: customers and repeat intervals. */
export const ReplacementSupport = z.object({
  customers: z.number().int().min(0),
  intervals: z.number().int().min(0),
});
export type ReplacementSupport = z.infer<typeof ReplacementSupport>;

/** A product the customer owns, from their orders, with when it is due for replacement. */
export const OwnedProduct = z.object({
  sku: z.string(),
  name: z.string().optional(),
  category: z.string().optional(),
  /** The latest purchase of the sku. */
  purchasedAt: z.iso.datetime(),
  /** The earliest purchase of the sku; absent on entries written before it was kept (read as purchasedAt). */
  firstPurchasedAt: z.iso.datetime().optional(),
  /** Distinct UTC days the sku was bought on; absent on entries written before it was kept (read as 1). */
  purchaseDays: z.number().int().min(1).optional(),
  orderId: z.string(),
  /** Purchase date + the replacement cycle; absent for products that are not replaced. */
  replacementDueAt: z.iso.date().optional(),
  replacementCycleDays: z.number().positive().optional(),
  replacementSource: ReplacementSource.optional(),
  /** Absent for a catalog cycle, which rests on no purchases. */
  replacementSupport: ReplacementSupport.optional(),
});
export type OwnedProduct = z.infer<typeof OwnedProduct>;

/** Recency, frequency and monetary value, each a quintile 1 (lowest) to 5 (best) over the customer base. */
export const RfmScores = z.object({
  recency: z.number().int().min(1).max(5),
  frequency: z.number().int().min(1).max(5),
  monetary: z.number().int().min(1).max(5),
  /** e.g. "545" */
  segment: z.string().regex(/^[1-5]{3}$/),
  scoredAt: z.iso.datetime(),
});
export type RfmScores = z.infer<typeof RfmScores>;

export const ValueTier = z.enum(['vip', 'regular', 'new', 'lapsed']);

/** `bg-nbd/gamma-gamma`: fitted to the base (docs/customer-value.md); `heuristic`: the fixed rule used while the base is too small. */
export const ValueModelName = z.enum(['bg-nbd/gamma-gamma', 'heuristic']);
export type ValueModelName = z.infer<typeof ValueModelName>;
export type ValueTier = z.infer<typeof ValueTier>;

/**
 * What the customer database knows about a customer's buying, kept on the
 * profile (`contact.customer`) so journey conditions and templates read it
 * with the contact: `contact.customer.tier`, `contact.customer.categories.books`.
 */
export const CustomerCard = z.object({
  orders: z.number().int().min(0),
  /** Sum of order revenue (net of refunds), in minor units of `currency`. */
  revenue: MinorUnits,
  /** Revenue ÷ orders, rounded to a minor unit. */
  averageOrderValue: MinorUnits,
  /** The first order's currency; absent until the first order. */
  currency: CurrencyCode.optional(),
  firstPurchaseAt: z.iso.datetime().optional(),
  lastPurchaseAt: z.iso.datetime().optional(),
  /**
   * Distinct UTC days with an order, exact for orders that arrive in time order
   * (see applyOrder for the bound on late ones); absent on cards written before
   * it was kept, which read it as `orders` (purchaseDaysOf).
   */
  purchaseDays: z.number().int().min(0).optional(),
  /**
   * Revenue of the orders on the first purchase day, in minor units of
   * `currency`; what is above it is repeat revenue. Absent on cards written
   * before it was kept, which read it as the average order value.
   */
  firstDayRevenue: MinorUnits.optional(),
  /** Units bought per category. */
  categories: z.record(z.string(), z.number().int()),
  /** Last purchase per category, for recency-weighted affinity. */
  categoryLastPurchasedAt: z.record(z.string(), z.iso.datetime()).default({}),
  /**
   * Per category, at every level of its path (`office` and `office/copiers`),
   * the first and last purchase and the distinct days: what replacement cycles
   * are learned from. Starts with the first order after it was kept. Optional
   * rather than defaulted, so cards built as literals before it still type-check:
   * absent reads as none.
   */
  categoryHistory: z.record(z.string(), PurchaseHistory).optional(),
  ownedProducts: z.array(OwnedProduct),
  rfm: RfmScores.optional(),
  tier: ValueTier.optional(),
  /** Predicted customer lifetime value over the model's horizon, in minor units; see docs/customer-value.md. */
  predictedClv: MinorUnits.optional(),
  /** Days since the last order divided by the customer's usual interval; > 1 means overdue (the interval ratio, beside pAlive). */
  churnRisk: z.number().optional(),
  /** Which model produced predictedClv, the expected purchases and order value, and pAlive. */
  valueModel: ValueModelName.optional(),
  /** The chance the customer is still a customer (BG/NBD); only from the fitted model. */
  pAlive: z.number().min(0).max(1).optional(),
  /** Purchases (distinct days) expected in the next 90 and 365 days. */
  expectedPurchases90: z.number().min(0).optional(),
  expectedPurchases365: z.number().min(0).optional(),
  /** The expected value of the customer's next order, in minor units (Gamma-Gamma; the average order value under the heuristic). */
  expectedOrderValue: MinorUnits.optional(),
  /** 1–5: the quintile of predictedClv over the base once the models are fitted, the RFM monetary score before. 5 is the top fifth by value. */
  valueScore: z.number().int().min(1).max(5).optional(),
  /** When "new in your categories" last recommended, so the next one starts from there. */
  lastRecommendedAt: z.iso.datetime().optional(),
  refunds: z.number().int().min(0).default(0),
});
export type CustomerCard = z.infer<typeof CustomerCard>;

export const emptyCustomerCard = (): CustomerCard => ({
  orders: 0,
  revenue: 0,
  averageOrderValue: 0,
  categories: {},
  categoryLastPurchasedAt: {},
  ownedProducts: [],
  refunds: 0,
});

/** Distinct purchase days; a card written before they were counted reads as one per order, bounded as counted ones are. */
export const purchaseDaysOf = (
  card: Pick<CustomerCard, 'orders' | 'purchaseDays' | 'firstPurchaseAt' | 'lastPurchaseAt'>,
): number => {
  const counted = card.purchaseDays ?? card.orders;
  if (card.firstPurchaseAt === undefined || card.lastPurchaseAt === undefined) return counted;
  return boundedPurchaseDays(counted, card.firstPurchaseAt, card.lastPurchaseAt);
};

/** Revenue of the first purchase day; a card written before it was kept reads as its average order value. */
export const firstDayRevenueOf = (
  card: Pick<CustomerCard, 'firstDayRevenue' | 'averageOrderValue'>,
): number => card.firstDayRevenue ?? card.averageOrderValue;

/**
 * A customer's repeat buying in the shape buy-till-you-die models take it: `x`
 * repeat purchase days, `tx` days from the first purchase day to the last, `T`
 * days from the first purchase day to now, and `meanValue` the mean revenue
 * of a repeat day in minor units (not rounded: it is a model input). Days are
 * whole UTC calendar days, so orders on the first day are never repeats.
 */
export const CardRepeatSummary = z.object({
  x: z.number().int().min(0),
  tx: z.number().int().min(0),
  T: z.number().int().min(0),
  meanValue: z.number().min(0),
});
export type CardRepeatSummary = z.infer<typeof CardRepeatSummary>;

/** What repeatSummaryOf reads of a card. */
export type RepeatBuyer = Pick<
  CustomerCard,
  | 'orders'
  | 'purchaseDays'
  | 'firstPurchaseAt'
  | 'lastPurchaseAt'
  | 'revenue'
  | 'firstDayRevenue'
  | 'averageOrderValue'
>;

export const repeatSummaryOf = (card: RepeatBuyer, now: Date): CardRepeatSummary => {
  const { firstPurchaseAt, lastPurchaseAt } = card;
  if (firstPurchaseAt === undefined || lastPurchaseAt === undefined)
    return { x: 0, tx: 0, T: 0, meanValue: 0 };
  const x = Math.max(0, purchaseDaysOf(card) - 1);
  const tx = calendarDaysBetween(firstPurchaseAt, lastPurchaseAt);
  // A clock behind the last order must not give T < tx, which no model accepts.
  const T = Math.max(tx, calendarDaysBetween(firstPurchaseAt, now.toISOString()));
  // Refunds come off revenue, not off a day, so repeat revenue can fall below zero: it reads as none.
  const meanValue = x === 0 ? 0 : Math.max(0, card.revenue - firstDayRevenueOf(card)) / x;
  return { x, tx, T, meanValue };
};

/**
 * The card as people read it, at the edges (the admin API, templates, journey
 * conditions such as `contact.customer.revenue: {$gte: 100}`): its money in
 * major units of its currency (19.99). A card without orders has no currency
 * and all its money is 0, which reads the same in any.
 */
export const customerCardView = (card: CustomerCard): CustomerCard => {
  const { currency } = card;
  if (currency === undefined) return card;
  const major = (minor: number) => fromMinorUnits(minor, currency);
  return {
    ...card,
    revenue: major(card.revenue),
    averageOrderValue: major(card.averageOrderValue),
    ...(card.firstDayRevenue === undefined ? {} : { firstDayRevenue: major(card.firstDayRevenue) }),
    ...(card.predictedClv === undefined ? {} : { predictedClv: major(card.predictedClv) }),
    ...(card.expectedOrderValue === undefined ? {} : { expectedOrderValue: major(card.expectedOrderValue) }),
  };
};

/** The card as the admin API answers it: money in major units, so not whole numbers. */
export const CustomerCardView = CustomerCard.extend({
  revenue: z.number(),
  averageOrderValue: z.number(),
  firstDayRevenue: z.number().optional(),
  predictedClv: z.number().optional(),
  expectedOrderValue: z.number().optional(),
});
export type CustomerCardView = z.infer<typeof CustomerCardView>;

/** A contact (or any record holding a card) with its card as people read it; see customerCardView. */
export const withCardView = <T extends { customer?: CustomerCard | undefined }>(holder: T): T =>
  holder.customer === undefined ? holder : { ...holder, customer: customerCardView(holder.customer) };

const amountShown = z.number().finite();

/**
 * A card as people write it, in major units (what customerCardView shows and a
 * simulation request sends), read back into minor units of its currency (of
 * `fallbackCurrency` for a card without one); an amount finer than the
 * currency's unit is refused, naming the field.
 */
export const CustomerCardShown = CustomerCard.extend({
  revenue: amountShown,
  averageOrderValue: amountShown,
  firstDayRevenue: amountShown.optional(),
  predictedClv: amountShown.optional(),
  expectedOrderValue: amountShown.optional(),
}).transform((shown, ctx): CustomerCard => {
  const currency = shown.currency ?? fallbackCurrency;
  const minor = (
    field: 'revenue' | 'averageOrderValue' | 'firstDayRevenue' | 'predictedClv' | 'expectedOrderValue',
    amount: number,
  ): number => {
    try {
      return toMinorUnits(amount, currency);
    } catch (error) {
      if (!(error instanceof TooManyDecimalsError || error instanceof AmountTooLargeError)) throw error;
      ctx.addIssue({ code: 'custom', path: [field], message: error.message });
      return 0;
    }
  };
  return {
    ...shown,
    revenue: minor('revenue', shown.revenue),
    averageOrderValue: minor('averageOrderValue', shown.averageOrderValue),
    ...(shown.firstDayRevenue === undefined
      ? {}
      : { firstDayRevenue: minor('firstDayRevenue', shown.firstDayRevenue) }),
    ...(shown.predictedClv === undefined ? {} : { predictedClv: minor('predictedClv', shown.predictedClv) }),
    ...(shown.expectedOrderValue === undefined
      ? {}
      : { expectedOrderValue: minor('expectedOrderValue', shown.expectedOrderValue) }),
  };
});
