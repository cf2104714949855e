import { z } from 'zod';

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
  /** Sum of order revenue (net of refunds), in the shop currency. */
  revenue: z.number(),
  averageOrderValue: z.number(),
  currency: z.string().optional(),
  firstPurchaseAt: z.iso.datetime().optional(),
  lastPurchaseAt: z.iso.datetime().optional(),
  /** Units bought per category. */
  categories: z.record(z.string(), z.number().int()),
  /** Last purchase per category, for recency-weighted affinity. */
  categoryLastPurchasedAt: z.record(z.string(), z.iso.datetime()).default({}),
  ownedProducts: z.array(OwnedProduct),
  rfm: RfmScores.optional(),
  tier: ValueTier.optional(),
  /** Predicted customer lifetime value over the model's horizon; see docs/customer-value.md. */
  predictedClv: z.number().optional(),
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
