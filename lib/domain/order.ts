import { z } from 'zod';

export const OrderLine = z.object({
  sku: z.string().min(1),
  name: z.string().optional(),
  /** From the order, else from the catalog. */
  category: z.string().optional(),
  price: z.number(),
  quantity: z.number().int().min(1),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** A purchase as the customer database keeps it (Segment's "Order Completed", normalized). */
export const Order = z.object({
  orderId: z.string().min(1),
  contactId: z.string().min(1),
  at: z.iso.datetime(),
  /** Segment's `revenue` when given, else `total`: what the order is worth to the shop. */
  revenue: z.number(),
  total: z.number(),
  currency: z.string().optional(),
  lines: z.array(OrderLine),
  /** Where the order came from: the ingestion channel and, when attributed, the message clicked before it. */
  /** What was refunded of it so far; a refund never takes more than what is left. */
  refunded: z.number().min(0).default(0),
  source: z.object({
    channel: z.enum(['api', 'eventbridge']),
    /** The message whose link was clicked last within the attribution window, and its journey. */
    messageId: z.string().optional(),
    journeyId: z.string().optional(),
  }),
});
export type Order = z.infer<typeof Order>;

/** Segment's "Order Refunded": the whole order, or an amount of it. */
export const Refund = z.object({
  orderId: z.string().min(1),
  contactId: z.string().min(1),
  at: z.iso.datetime(),
  /** What is given back; the whole order's revenue when the event names no amount. */
  amount: z.number().min(0),
});
export type Refund = z.infer<typeof Refund>;
