import { z } from 'zod';
import { CurrencyCode } from './money.js';

/**
 * The Segment spec's `identify` and `track` calls, as shops and CDPs send them
 * (https://segment.com/docs/connections/spec/). Only what the customer database
 * uses is checked strictly; the rest of a call is kept as it came.
 */

const Traits = z.record(z.string(), z.unknown());
const email = z.email('must be an email address');

const Common = z.object({
  userId: z
    .union([z.string().min(1).max(200), z.number()])
    .transform(String)
    .optional(),
  /** Segment libraries always send one; it is what makes a resend harmless. */
  messageId: z.string().min(1).max(200),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  /** Not in the spec's root, but common in hand-written integrations. */
  email: email.optional(),
  context: z.object({ traits: Traits.optional() }).loose().optional(),
});

export const IdentifyCall = Common.extend({
  type: z.literal('identify'),
  traits: Traits.default({}),
});
export type IdentifyCall = z.infer<typeof IdentifyCall>;

/** As the shop sends it, in major units (19.99); converted to minor units once the currency is known. */
const money = z.number().finite();

/** Shops send ids as text or numbers; they are kept as text. */
const ExternalId = z.union([z.string().min(1).max(200), z.number()]).transform(String);

/** What a Segment product names itself by: `product_id`, `sku`, or both. */
const productNaming = {
  product_id: ExternalId.optional(),
  sku: z.string().min(1).optional(),
  name: z.string().optional(),
  category: z.string().optional(),
};

/** Segment's e-commerce product: `product_id` or `sku` names it. */
export const SegmentProduct = z
  .object({
    ...productNaming,
    price: money.min(0),
    quantity: z.number().int().min(1).default(1),
  })
  .loose()
  .refine((product) => product.product_id !== undefined || product.sku !== undefined, {
    message: 'needs product_id or sku',
    path: ['sku'],
  });

export const OrderCompletedProperties = z
  .object({
    order_id: ExternalId,
    total: money.min(0).optional(),
    revenue: money.min(0).optional(),
    /** Any case; the deployment's DEFAULT_CURRENCY when absent. */
    currency: z
      .string()
      .transform((code) => code.toUpperCase())
      .pipe(CurrencyCode)
      .optional(),
    products: z.array(SegmentProduct).min(1, 'an order needs at least one product').max(500),
  })
  .loose()
  .refine((order) => order.total !== undefined || order.revenue !== undefined, {
    message: 'an order needs total or revenue',
    path: ['total'],
  });

export const OrderRefundedProperties = z
  .object({
    order_id: ExternalId,
    total: money.min(0).optional(),
    revenue: money.min(0).optional(),
  })
  .loose();

export const ProductViewedProperties = z
  .object({
    ...productNaming,
  })
  .loose();

export const TrackCall = Common.extend({
  type: z.literal('track'),
  event: z.string().min(1).max(200),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type TrackCall = z.infer<typeof TrackCall>;

export const SegmentCall = z.discriminatedUnion('type', [IdentifyCall, TrackCall], {
  error: 'must be "identify" or "track"',
});
export type SegmentCall = z.infer<typeof SegmentCall>;

/** The person a call is about: the shop's id, an email, or both. */
export interface CallIdentity {
  userId?: string;
  email?: string;
}
