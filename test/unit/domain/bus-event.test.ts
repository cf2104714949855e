import { describe, expect, it } from 'vitest';
import {
  type BusEvent,
  InvalidBusEventError,
  parseBusEvent,
  segmentCallOf,
} from '../../../lib/domain/bus-event.js';
import { parseCall } from '../../../lib/domain/ingested-event.js';

const now = new Date('2026-11-23T12:00:00.000Z');

/** An event as EventBridge hands it to a rule's target. */
const busEvent = (detailType: string, detail: Record<string, unknown>): BusEvent => ({
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  source: 'com.example.orders',
  'detail-type': detailType,
  time: '2026-11-20T15:00:00Z',
  detail,
});

const order = {
  order_id: 'O-1001',
  total: 2400,
  currency: 'EUR',
  products: [{ sku: 'COPIER-4Y', price: 2400 }],
};

describe('the Segment call an event on the bus stands for', () => {
  it('is a track call named by the detail-type, with the detail’s identity and properties', () => {
    const call = segmentCallOf(
      busEvent('Order Completed', {
        userId: 'shop-42',
        email: 'ann@example.com',
        messageId: 'order-O-1001',
        timestamp: '2026-11-20T14:59:58Z',
        properties: order,
      }),
    );

    expect(call).toEqual({
      type: 'track',
      event: 'Order Completed',
      userId: 'shop-42',
      email: 'ann@example.com',
      messageId: 'order-O-1001',
      timestamp: '2026-11-20T14:59:58Z',
      properties: order,
    });
  });

  it('takes the EventBridge event’s id as the messageId and its time as the timestamp when the detail has none', () => {
    const call = segmentCallOf(busEvent('Order Completed', { userId: 'shop-42', properties: order }));

    expect(call).toMatchObject({
      messageId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      timestamp: '2026-11-20T15:00:00Z',
    });
  });

  it('is an identify call with the detail’s traits when the detail-type is Identify', () => {
    const call = segmentCallOf(
      busEvent('Identify', { userId: 'shop-42', traits: { email: 'ann@example.com', plan: 'pro' } }),
    );

    expect(call).toEqual({
      type: 'identify',
      userId: 'shop-42',
      messageId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      timestamp: '2026-11-20T15:00:00Z',
      traits: { email: 'ann@example.com', plan: 'pro' },
    });
  });

  it('keeps the detail’s context, where Segment libraries put the traits of a track call', () => {
    const call = segmentCallOf(
      busEvent('Product Viewed', { context: { traits: { email: 'ann@example.com' } }, properties: {} }),
    );

    expect(call).toMatchObject({ context: { traits: { email: 'ann@example.com' } } });
  });

  it('cannot be turned into another kind of call by fields in the detail', () => {
    const call = segmentCallOf(
      busEvent('Order Completed', {
        type: 'identify',
        event: 'Order Refunded',
        userId: 'u',
        properties: order,
      }),
    );

    expect(call).toMatchObject({ type: 'track', event: 'Order Completed' });
  });

  it('is read by ingestion as the order it reports, at the time it happened', () => {
    const parsed = parseCall(
      segmentCallOf(busEvent('Order Completed', { userId: 'shop-42', properties: order })),
      now,
    );

    expect(parsed).toEqual({
      ok: true,
      event: expect.objectContaining({
        kind: 'order',
        orderId: 'O-1001',
        // 2400 in the deployment's currency (EUR by default), kept in cents.
        total: 240_000,
        currency: 'EUR',
        identity: { userId: 'shop-42' },
        at: '2026-11-20T15:00:00.000Z',
        messageId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      }),
    });
  });

  it('carries bad fields over as they came, so validation names them', () => {
    const parsed = parseCall(
      segmentCallOf(
        busEvent('Order Completed', {
          userId: 'shop-42',
          messageId: 17,
          properties: { ...order, products: [{ sku: 'X', price: 'ten' }] },
        }),
      ),
      now,
    );

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? {} : parsed.problems).toHaveProperty('messageId');
  });

  it('needs someone to be about: without userId or email, ingestion refuses it', () => {
    const parsed = parseCall(segmentCallOf(busEvent('Order Completed', { properties: order })), now);

    expect(parsed).toEqual({ ok: false, problems: { userId: expect.any(String) } });
  });
});

describe('reading what a bus rule invokes a function with', () => {
  it('takes an EventBridge event', () => {
    const raw = {
      version: '0',
      account: '123456789012',
      region: 'eu-west-1',
      resources: [],
      ...busEvent('Order Completed', { userId: 'shop-42' }),
    };

    expect(parseBusEvent(raw)).toEqual(busEvent('Order Completed', { userId: 'shop-42' }));
  });

  it.each([
    ['an SNS notification', { Records: [{ Sns: { Message: '{}' } }] }],
    ['an event whose detail is not an object', { ...busEvent('Identify', {}), detail: 'x' }],
    ['an event without a detail-type', { ...busEvent('Identify', {}), 'detail-type': '' }],
  ])('refuses %s, naming what is wrong', (_what, raw) => {
    expect(() => parseBusEvent(raw)).toThrow(InvalidBusEventError);
  });
});
