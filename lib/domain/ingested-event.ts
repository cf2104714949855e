import { z } from 'zod';
import { controlCharactersProblem, hasControlCharacters } from './control-characters.js';
import { AmountTooLargeError, fallbackCurrency, TooManyDecimalsError, toMinorUnits } from './money.js';
import { own } from './own-property.js';
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
      /** Money in minor units of `currency` (the call's, else the deployment's). */
      total: number;
      revenue: number;
      currency: string;
      products: Array<{ sku: string; name?: string; category?: string; price: number; quantity: number }>;
    }
  | {
      kind: 'refund';
      orderId: string;
      /**
       * As sent, in major units: converted with the refunded order's currency,
       * which only the stored order knows; `amountField` names where it came from.
       */
      amount: number | undefined;
      amountField: 'properties.revenue' | 'properties.total';
    }
  | { kind: 'product_viewed'; properties: Record<string, unknown> }
  | { kind: 'track'; name: string; properties: Record<string, unknown> }
);

/** Segment's own limit for one call; a bigger one is refused, not truncated. */
export const maxCallBytes = 32 * 1024;

/**
 * How deeply a call may nest objects and lists (the call itself is one level).
 * DynamoDB holds 32; a call's properties are stored two levels down in its
 * event, and a trait one level down on the profile.
 */
export const maxCallDepth = 20;

/** DynamoDB's smallest positive number; JavaScript's are far smaller. */
const smallestStorable = 1e-130;

const numberProblem = (value: number): string | undefined => {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return 'is larger than 2^53 and cannot be kept exactly; send ids and large values as text';
  }
  if (value !== 0 && Math.abs(value) < smallestStorable) return 'is too small to store (below 1e-130)';
  return undefined;
};

/**
 * What no DynamoDB item can hold, found before anything else reads the call:
 * nesting past maxCallDepth, numbers outside what DynamoDB and JavaScript keep
 * exactly, and keys that would change an object's prototype. Walked without
 * recursion, so a list nested 100,000 deep is refused rather than overflowing the
 * stack; the first problem per path, at most ten.
 */
const unstorableProblems = (raw: unknown): CallProblems => {
  const problems: CallProblems = {};
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: raw, path: [] }];
  for (
    let next = pending.pop();
    next !== undefined && Object.keys(problems).length < 10;
    next = pending.pop()
  ) {
    const { value, path } = next;
    const where = path.join('.') || 'call';
    if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem !== undefined) problems[where] = problem;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maxCallDepth) {
      problems[where] = `nests deeper than ${maxCallDepth} levels`;
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === '__proto__') {
        problems[[...path, key].join('.')] = 'is not a name a field may have';
        continue;
      }
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return problems;
};

export type CallProblems = Record<string, string>;

/**
 * When a call may say it happened. A shop replaying its history goes back years,
 * and clocks drift; a timestamp in 9999 or 1970 is a bug on the sender's side,
 * and stored it would date the customer's card (a replacement due in the year
 * 10000) for good.
 */
export interface TimestampWindow {
  earliest: Date;
  /** How far past now a timestamp may lie, for senders whose clocks run ahead. */
  aheadHours: number;
}

export const defaultTimestampWindow: TimestampWindow = {
  earliest: new Date('2000-01-01T00:00:00.000Z'),
  aheadHours: 24,
};

const timestampProblem = (timestamp: string, now: Date, window: TimestampWindow): string | undefined => {
  const at = Date.parse(timestamp);
  const latest = new Date(now.getTime() + window.aheadHours * 3_600_000);
  return at < window.earliest.getTime() || at > latest.getTime()
    ? `must lie between ${window.earliest.toISOString()} and ${latest.toISOString()} (${window.aheadHours} hours from now)`
    : undefined;
};

const problemsOf = (error: z.ZodError, prefix: string[] = []): CallProblems => {
  const problems: CallProblems = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.') || 'call';
    const known = own(problems, path);
    problems[path] = known === undefined ? issue.message : `${known}; ${issue.message}`;
  }
  return problems;
};

/** The traits that become the contact's name, which every mail to them shows. */
const nameTraits = ['name', 'firstName', 'lastName'];

const nameProblems = (traits: Record<string, unknown>): CallProblems =>
  Object.fromEntries(
    nameTraits.flatMap((field) => {
      const value = own(traits, field);
      return typeof value === 'string' && hasControlCharacters(value)
        ? [[`traits.${field}`, controlCharactersProblem]]
        : [];
    }),
  );

const emailIn = (value: unknown): string | undefined => {
  const parsed = z.email().safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const traitEmail = (record: Record<string, unknown> | undefined): string | undefined =>
  record === undefined ? undefined : emailIn(record.email);

/**
 * Amounts in minor units of the currency, each converted exactly, or the
 * problem under its path (`properties.total: has more decimals than JPY allows (0)`).
 */
export const minorUnitsOf = (
  amounts: ReadonlyArray<readonly [string, number]>,
  currency: string,
): { ok: true; minor: Map<string, number> } | { ok: false; problems: CallProblems } => {
  const minor = new Map<string, number>();
  const problems: CallProblems = {};
  for (const [path, amount] of amounts) {
    try {
      minor.set(path, toMinorUnits(amount, currency));
    } catch (error) {
      if (!(error instanceof TooManyDecimalsError || error instanceof AmountTooLargeError)) throw error;
      problems[path] = error.message;
    }
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, minor };
};

/**
 * Checks one call and says what it means, or names every problem by its path
 * (`properties.products.0.price`). Nothing here touches storage: a call that
 * fails is never stored. An order's money becomes minor units of its currency
 * (the call's `currency`, else `defaultCurrency`) here, at the edge.
 */
export const parseCall = (
  raw: unknown,
  now: Date,
  window: TimestampWindow = defaultTimestampWindow,
  defaultCurrency: string = fallbackCurrency,
): { ok: true; event: IngestedEvent } | { ok: false; problems: CallProblems } => {
  const unstorable = unstorableProblems(raw);
  if (Object.keys(unstorable).length > 0) return { ok: false, problems: unstorable };
  if (Buffer.byteLength(JSON.stringify(raw ?? null)) > maxCallBytes) {
    return { ok: false, problems: { call: `is larger than ${maxCallBytes / 1024} KB` } };
  }
  const parsed = SegmentCall.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const call = parsed.data;
  const badNames = call.type === 'identify' ? nameProblems(call.traits) : {};
  if (Object.keys(badNames).length > 0) return { ok: false, problems: badNames };
  const lateOrEarly =
    call.timestamp === undefined ? undefined : timestampProblem(call.timestamp, now, window);
  if (lateOrEarly !== undefined) return { ok: false, problems: { timestamp: lateOrEarly } };
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
      const { order_id, total, revenue, products } = order.data;
      const currency = order.data.currency ?? defaultCurrency;
      const converted = minorUnitsOf(
        [
          ...(total === undefined ? [] : [['properties.total', total] as const]),
          ...(revenue === undefined ? [] : [['properties.revenue', revenue] as const]),
          ...products.map((product, index) => [`properties.products.${index}.price`, product.price] as const),
        ],
        currency,
      );
      if (!converted.ok) return converted;
      const minor = (path: string) => converted.minor.get(path);
      return {
        ok: true,
        event: {
          ...base,
          kind: 'order',
          orderId: order_id,
          total: minor('properties.total') ?? minor('properties.revenue') ?? 0,
          revenue: minor('properties.revenue') ?? minor('properties.total') ?? 0,
          currency,
          products: products.map((product, index) => ({
            sku: product.sku ?? product.product_id ?? '',
            ...(product.name === undefined ? {} : { name: product.name }),
            ...(product.category === undefined ? {} : { category: product.category }),
            price: minor(`properties.products.${index}.price`) ?? 0,
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
          amountField: refund.data.revenue === undefined ? 'properties.total' : 'properties.revenue',
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
