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

/** A product the customer owns, from their orders, with when it is due for replacement. */
export const OwnedProduct = z.object({
  sku: z.string(),
  name: z.string().optional(),
  category: z.string().optional(),
  purchasedAt: z.iso.datetime(),
  orderId: z.string(),
  /** Purchase date + the catalog's replacement cycle; absent for products that are not replaced. */
  replacementDueAt: z.iso.date().optional(),
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
  /** Units bought per category. */
  categories: z.record(z.string(), z.number().int()),
  /** Last purchase per category, for recency-weighted affinity. */
  categoryLastPurchasedAt: z.record(z.string(), z.iso.datetime()).default({}),
  ownedProducts: z.array(OwnedProduct),
  rfm: RfmScores.optional(),
  tier: ValueTier.optional(),
  /** Predicted customer lifetime value over the model's horizon, in minor units; see docs/customer-value.md. */
  predictedClv: MinorUnits.optional(),
  /** Days since the last order divided by the customer's usual interval; > 1 means overdue. */
  churnRisk: z.number().optional(),
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
    ...(card.predictedClv === undefined ? {} : { predictedClv: major(card.predictedClv) }),
  };
};

/** The card as the admin API answers it: money in major units, so not whole numbers. */
export const CustomerCardView = CustomerCard.extend({
  revenue: z.number(),
  averageOrderValue: z.number(),
  predictedClv: z.number().optional(),
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
  predictedClv: amountShown.optional(),
}).transform((shown, ctx): CustomerCard => {
  const currency = shown.currency ?? fallbackCurrency;
  const minor = (field: 'revenue' | 'averageOrderValue' | 'predictedClv', amount: number): number => {
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
    ...(shown.predictedClv === undefined ? {} : { predictedClv: minor('predictedClv', shown.predictedClv) }),
  };
});
