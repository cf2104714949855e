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
        total: 1200,
        revenue: 1200,
        currency: 'EUR',
        products: [{ sku: 'COPIER-9', name: 'Copier', category: 'copiers', price: 1200, quantity: 1 }],
      },
    });
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
