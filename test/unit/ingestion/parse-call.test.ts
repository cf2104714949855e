import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCall } from '../../../lib/domain/ingested-event.js';

const now = new Date('2026-11-23T12:00:00Z');

const order = (properties: Record<string, unknown>) => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'u-1',
  messageId: 'm-1',
  timestamp: '2026-11-20T10:00:00+01:00',
  properties,
});

describe('reading a Segment call', () => {
  it('turns an Order Completed into an order, with product_id standing in for a missing sku', () => {
    const parsed = parseCall(
      order({
        order_id: 'A-1',
        total: 1200,
        currency: 'eur',
        products: [{ product_id: 'COPIER-9', name: 'Copier', category: 'copiers', price: 1200 }],
      }),
      now,
    );
    expect(parsed).toEqual({
      ok: true,
      event: {
        kind: 'order',
        messageId: 'm-1',
        identity: { userId: 'u-1' },
        at: '2026-11-20T09:00:00.000Z',
        orderId: 'A-1',
        // In cents of the order's currency, from here on.
        total: 120_000,
        revenue: 120_000,
        currency: 'EUR',
        products: [{ sku: 'COPIER-9', name: 'Copier', category: 'copiers', price: 120_000, quantity: 1 }],
      },
    });
  });

  it('keeps an order that names no currency in the deployment’s, and refuses a code it cannot place', () => {
    const products = [{ sku: 'B-1', price: 1500 }];
    expect(parseCall(order({ order_id: 'A-2', total: 1500, products }), now, undefined, 'JPY')).toMatchObject(
      {
        ok: true,
        event: { currency: 'JPY', total: 1500, products: [{ price: 1500 }] },
      },
    );
    expect(parseCall(order({ order_id: 'A-3', currency: 'XQZ', total: 1, products }), now)).toEqual({
      ok: false,
      problems: { 'properties.currency': 'must be an ISO 4217 currency code such as EUR' },
    });
  });

  it('reads a float sum as the amount it meant, and refuses what no currency unit can hold', () => {
    const sum = 64.97 + 19.99; // 84.96000000000001
    expect(
      parseCall(
        order({ order_id: 'A-4', currency: 'EUR', total: sum, products: [{ sku: 'B-1', price: 1 }] }),
        now,
      ),
    ).toMatchObject({ ok: true, event: { total: 8496 } });
    expect(
      parseCall(
        order({ order_id: 'A-5', currency: 'EUR', total: 19.999, products: [{ sku: 'B-1', price: 1 }] }),
        now,
      ),
    ).toEqual({ ok: false, problems: { 'properties.total': 'has more decimals than EUR allows (2)' } });
  });

  it('finds the email in traits, properties or context.traits when there is no userId', () => {
    const identify = {
      type: 'identify',
      messageId: 'm-2',
      traits: { email: 'ann@example.com', birthday: '1990-05-17' },
    };
    expect(parseCall(identify, now)).toMatchObject({
      ok: true,
      event: { identity: { email: 'ann@example.com' } },
    });
    const viewed = {
      type: 'track',
      event: 'Product Viewed',
      messageId: 'm-3',
      context: { traits: { email: 'bob@example.com' } },
      properties: { sku: 'B-1' },
    };
    expect(parseCall(viewed, now)).toMatchObject({
      ok: true,
      event: { kind: 'product_viewed', identity: { email: 'bob@example.com' } },
    });
  });

  it('names every bad field of an order by its path', () => {
    const parsed = parseCall(order({ order_id: 'A-2', products: [{ name: 'No id', price: -3 }] }), now);
    expect(parsed).toEqual({
      ok: false,
      problems: {
        'properties.total': 'an order needs total or revenue',
        'properties.products.0.price': expect.stringContaining('>=0'),
        'properties.products.0.sku': 'needs product_id or sku',
      },
    });
  });

  it('refuses a call that names nobody, or has no messageId', () => {
    expect(parseCall({ type: 'track', event: 'Signed Up', messageId: 'm-4' }, now)).toEqual({
      ok: false,
      problems: { userId: 'give userId or an email (in traits, properties or context.traits)' },
    });
    expect(parseCall({ type: 'track', event: 'Signed Up', userId: 'u' }, now)).toMatchObject({
      ok: false,
      problems: { messageId: expect.any(String) },
    });
  });

  it('refuses a call over 32 KB instead of cutting it', () => {
    const huge = {
      type: 'track',
      event: 'Note',
      userId: 'u',
      messageId: 'm',
      properties: { text: 'x'.repeat(40_000) },
    };
    expect(parseCall(huge, now)).toEqual({ ok: false, problems: { call: 'is larger than 32 KB' } });
  });

  it('never throws, whatever arrives: a malformed call is refused with named problems', () => {
    const anything = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.oneof(fc.constantFrom('track', 'identify', 'page'), fc.anything()),
          event: fc.oneof(
            fc.constantFrom('Order Completed', 'Order Refunded', 'Product Viewed'),
            fc.anything(),
          ),
          userId: fc.oneof(fc.string(), fc.integer(), fc.anything()),
          messageId: fc.oneof(fc.string(), fc.anything()),
          timestamp: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
          ),
          properties: fc.oneof(
            fc.record(
              {
                order_id: fc.oneof(fc.string(), fc.integer(), fc.anything()),
                total: fc.oneof(fc.double(), fc.anything()),
                products: fc.oneof(
                  fc.array(fc.record({ sku: fc.anything(), price: fc.anything(), quantity: fc.anything() })),
                  fc.anything(),
                ),
              },
              { requiredKeys: [] },
            ),
            fc.anything(),
          ),
          traits: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(anything, (raw) => {
        const parsed = parseCall(raw, now);
        if (!parsed.ok) expect(Object.keys(parsed.problems).length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('when a call says it happened outside the timestamp window', () => {
  const copier = { order_id: 'A-9', total: 10, products: [{ sku: 'COPIER-9', price: 10 }] };

  it('refuses a timestamp in the year 9999, naming the field', () => {
    const parsed = parseCall({ ...order(copier), timestamp: '9999-12-31T00:00:00Z' }, now);
    expect(parsed).toEqual({
      ok: false,
      problems: { timestamp: expect.stringContaining('must lie between') },
    });
  });

  it('refuses one before 2000 and takes one up to a day ahead', () => {
    expect(parseCall({ ...order(copier), timestamp: '1970-01-01T00:00:00Z' }, now)).toMatchObject({
      ok: false,
      problems: { timestamp: expect.any(String) },
    });
    expect(parseCall({ ...order(copier), timestamp: '2026-11-24T11:59:00Z' }, now)).toMatchObject({
      ok: true,
    });
    expect(parseCall({ ...order(copier), timestamp: '2026-11-24T12:01:00Z' }, now)).toMatchObject({
      ok: false,
    });
  });

  it('follows a configured window', () => {
    const window = { earliest: new Date('1990-01-01T00:00:00Z'), aheadHours: 0 };
    expect(parseCall({ ...order(copier), timestamp: '1995-06-01T00:00:00Z' }, now, window)).toMatchObject({
      ok: true,
    });
    expect(parseCall({ ...order(copier), timestamp: '2026-11-23T12:00:01Z' }, now, window)).toMatchObject({
      ok: false,
    });
  });
});

describe('when a call holds what DynamoDB cannot store', () => {
  const copier = (properties: Record<string, unknown>) =>
    order({ order_id: 'A-9', products: [{ sku: 'COPIER-9', price: 10 }], total: 10, ...properties });

  it.each([
    ['an integer over 2^53', JSON.parse('{"total": 12345678901234567}'), 'properties.total', /2\^53/],
    ['a total of 1e16', { total: 1e16 }, 'properties.total', /2\^53/],
    ['a number below 1e-130', { discount: 1e-200 }, 'properties.discount', /1e-130/],
  ])('refuses %s, naming the field', (_case, properties, field, problem) => {
    const parsed = parseCall(copier(properties), now);
    expect(parsed).toEqual({ ok: false, problems: { [field]: expect.stringMatching(problem) } });
  });

  it('refuses traits nested 30 levels deep, naming where', () => {
    let traits: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 30; level += 1) traits = { inner: traits };
    const parsed = parseCall({ type: 'identify', userId: 'u', messageId: 'm', traits }, now);
    expect(parsed).toMatchObject({
      ok: false,
      problems: { [`traits${'.inner'.repeat(19)}`]: 'nests deeper than 20 levels' },
    });
  });

  it('refuses a list nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = [];
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const parsed = parseCall(copier({ deep }), now);
    expect(parsed).toMatchObject({ ok: false, problems: expect.any(Object) });
  });

  it('refuses a key named __proto__ and keeps one named constructor', () => {
    const properties = JSON.parse('{"__proto__": {"admin": true}, "constructor": "x"}');
    expect(parseCall({ type: 'track', event: 'Seen', userId: 'u', messageId: 'm', properties }, now)).toEqual(
      {
        ok: false,
        problems: { 'properties.__proto__': 'is not a name a field may have' },
      },
    );
    expect(
      parseCall(
        { type: 'track', event: 'Seen', userId: 'u', messageId: 'm', properties: { constructor: 'x' } },
        now,
      ),
    ).toMatchObject({ ok: true });
  });

  it('refuses a numeric userId past 2^53, which would merge two people', () => {
    const call = JSON.parse('{"type":"identify","userId":98765432109876543,"messageId":"m"}');
    expect(parseCall(call, now)).toEqual({
      ok: false,
      problems: { userId: expect.stringMatching(/as text/) },
    });
  });

  it('keeps a numeric userId within 2^53 as its exact digits', () => {
    expect(parseCall({ type: 'identify', userId: 9007199254740991, messageId: 'm' }, now)).toMatchObject({
      ok: true,
      event: { identity: { userId: '9007199254740991' } },
    });
  });
});

describe('when an identify names the person with control characters', () => {
  it('refuses the name, naming the trait', () => {
    const call = {
      type: 'identify',
      userId: 'u',
      messageId: 'm',
      traits: { firstName: 'Ann\u202E', name: 'A\nB' },
    };
    expect(parseCall(call, now)).toEqual({
      ok: false,
      problems: {
        'traits.name': expect.stringContaining('control characters'),
        'traits.firstName': expect.stringContaining('control characters'),
      },
    });
  });
});
