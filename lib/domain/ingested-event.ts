import { z } from 'zod';
import {
  type CallIdentity,
  OrderCompletedProperties,
  OrderRefundedProperties,
  ProductViewedProperties,
  SegmentCall,
} from './segment-event.js';

/** What one accepted call means to the customer database, whatever the channel it came by. */
export type IngestedEvent = {
  messageId: string;
  identity: CallIdentity;
  at: string;
} & (
  | { kind: 'identify'; traits: Record<string, unknown> }
  | {
      kind: 'order';
      orderId: string;
      total: number;
      revenue: number;
      currency: string | undefined;
      products: Array<{ sku: string; name?: string; category?: string; price: number; quantity: number }>;
    }
  | { kind: 'refund'; orderId: string; amount: number | undefined }
  | { kind: 'product_viewed'; properties: Record<string, unknown> }
  | { kind: 'track'; name: string; properties: Record<string, unknown> }
);

/** Segment's own limit for one call; a bigger one is refused, not truncated. */
export const maxCallBytes = 32 * 1024;

export type CallProblems = Record<string, string>;

const problemsOf = (error: z.ZodError, prefix: string[] = []): CallProblems => {
  const problems: CallProblems = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.') || 'call';
    problems[path] = problems[path] === undefined ? issue.message : `${problems[path]}; ${issue.message}`;
  }
  return problems;
};

const emailIn = (value: unknown): string | undefined => {
  const parsed = z.email().safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const traitEmail = (record: Record<string, unknown> | undefined): string | undefined =>
  record === undefined ? undefined : emailIn(record.email);

/**
 * Checks one call and says what it means, or names every problem by its path
 * (`properties.products.0.price`). Nothing here touches storage: a call that
 * fails is never stored.
 */
export const parseCall = (
  raw: unknown,
  now: Date,
): { ok: true; event: IngestedEvent } | { ok: false; problems: CallProblems } => {
  if (Buffer.byteLength(JSON.stringify(raw ?? null)) > maxCallBytes) {
    return { ok: false, problems: { call: `is larger than ${maxCallBytes / 1024} KB` } };
  }
  const parsed = SegmentCall.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const call = parsed.data;
  const email =
    call.email ??
    (call.type === 'identify' ? traitEmail(call.traits) : traitEmail(call.properties)) ??
    traitEmail(call.context?.traits);
  if (call.userId === undefined && email === undefined) {
    return {
      ok: false,
      problems: { userId: 'give userId or an email (in traits, properties or context.traits)' },
    };
  }
  const base = {
    messageId: call.messageId,
    identity: {
      ...(call.userId === undefined ? {} : { userId: call.userId }),
      ...(email === undefined ? {} : { email }),
    },
    at: new Date(call.timestamp ?? now.toISOString()).toISOString(),
  };
  if (call.type === 'identify')
    return { ok: true, event: { ...base, kind: 'identify', traits: call.traits } };
  switch (call.event) {
    case 'Order Completed': {
      const order = OrderCompletedProperties.safeParse(call.properties);
      if (!order.success) return { ok: false, problems: problemsOf(order.error, ['properties']) };
      const { order_id, total, revenue, currency, products } = order.data;
      return {
        ok: true,
        event: {
          ...base,
          kind: 'order',
          orderId: order_id,
          total: total ?? revenue ?? 0,
          revenue: revenue ?? total ?? 0,
          currency: currency?.toUpperCase(),
          products: products.map((product) => ({
            sku: product.sku ?? product.product_id ?? '',
            ...(product.name === undefined ? {} : { name: product.name }),
            ...(product.category === undefined ? {} : { category: product.category }),
            price: product.price,
            quantity: product.quantity,
          })),
        },
      };
    }
    case 'Order Refunded': {
      const refund = OrderRefundedProperties.safeParse(call.properties);
      if (!refund.success) return { ok: false, problems: problemsOf(refund.error, ['properties']) };
      return {
        ok: true,
        event: {
          ...base,
          kind: 'refund',
          orderId: refund.data.order_id,
          amount: refund.data.revenue ?? refund.data.total,
        },
      };
    }
    case 'Product Viewed': {
      const viewed = ProductViewedProperties.safeParse(call.properties);
      if (!viewed.success) return { ok: false, problems: problemsOf(viewed.error, ['properties']) };
      return { ok: true, event: { ...base, kind: 'product_viewed', properties: call.properties } };
    }
    default:
      return { ok: true, event: { ...base, kind: 'track', name: call.event, properties: call.properties } };
  }
};
