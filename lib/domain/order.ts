import { z } from 'zod';
import { Acquisition } from './contact.js';
import { CurrencyCode, MinorUnits } from './money.js';

export const OrderLine = z.object({
  sku: z.string().min(1),
  name: z.string().optional(),
  /** From the order, else from the catalog. */
  category: z.string().optional(),
  /** In the order's currency's minor units. */
  price: MinorUnits.min(0),
  quantity: z.number().int().min(1),
});
export type OrderLine = z.infer<typeof OrderLine>;

/**
 * A purchase as the customer database keeps it (Segment's "Order Completed",
 * normalized). Money is in minor units of `currency` (lib/domain/money.ts).
 */
export const Order = z.object({
  orderId: z.string().min(1),
  contactId: z.string().min(1),
  at: z.iso.datetime(),
  /** Segment's `revenue` when given, else `total`: what the order is worth to the shop. */
  revenue: MinorUnits.min(0),
  total: MinorUnits.min(0),
  /** The order's own currency, else the deployment's (DEFAULT_CURRENCY) when it arrived. */
  currency: CurrencyCode,
  lines: z.array(OrderLine),
  /** What was refunded of it so far; a refund never takes more than what is left. */
  refunded: MinorUnits.min(0).default(0),
  /** Where the order came from: the ingestion channel, the last click before it, and the customer's acquisition. */
  source: z.object({
    channel: z.enum(['api', 'eventbridge']),
    /**
     * The last click within the attribution window, if any: the message, its
     * journey, node and template, and when it was clicked. Absent: no click led here.
     */
    messageId: z.string().optional(),
    journeyId: z.string().optional(),
    nodeId: z.string().optional(),
    templateId: z.string().optional(),
    /** A campaign's mail: the campaign and the variant the clicker got. */
    campaignId: z.string().optional(),
    variant: z.string().optional(),
    clickedAt: z.iso.datetime().optional(),
    /**
     * Where the customer came from, as the profile said when they ordered: the
     * signup's form, page and UTM tags (`ingestion:api` for someone who never
     * signed up). Orders stored before it was kept have none.
     */
    acquisition: Acquisition.optional(),
  }),
});
export type Order = z.infer<typeof Order>;

/** Segment's "Order Refunded": the whole order, or an amount of it. */
export const Refund = z.object({
  orderId: z.string().min(1),
  contactId: z.string().min(1),
  at: z.iso.datetime(),
  /** What is given back, in the order's minor units; what is left of its revenue when the event names no amount. */
  amount: MinorUnits.min(0),
  /** The refunded order's. */
  currency: CurrencyCode,
});
export type Refund = z.infer<typeof Refund>;
