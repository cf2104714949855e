import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import type { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import type { MemoryIngestionStore } from '../../../lib/adapters/memory/memory-ingestion-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type IngestDeps, ingestBatch, ingestCall } from '../../../lib/app/ingest-events.js';
import { PayloadTooLargeError } from '../../../lib/domain/errors.js';
import { copierOrder } from '../../support/builders.js';
import { aWorld, ingestDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: IngestDeps;
let contacts: MemoryContactStore;
let store: MemoryIngestionStore;

beforeEach(async () => {
  world = aWorld();
  contacts = world.contacts;
  store = world.ingestion;
  const at = '2026-01-01T00:00:00.000Z';
  await world.catalog.put(
    {
      sku: 'COPIER-9',
      name: 'Copier 9',
      category: 'copiers',
      price: 1200,
      currency: 'EUR',
      replacementCycleDays: 1460,
      createdAt: at,
      updatedAt: at,
    },
    undefined,
  );
  deps = ingestDepsFor(world);
});

/** The items as stored (an event's type as `eventType`). */
const itemsOf = async (contactId: string, prefix: string) => world.items(keys.contact(contactId).PK, prefix);

describe('when a shop sends an order for someone it has never sent before', () => {
  it('creates a customer without marketing consent, stores the order, and hands journeys an enriched event', async () => {
    const outcome = await ingestCall(deps, copierOrder('m-1'), 'api');
    expect(outcome).toMatchObject({ status: 'accepted' });
    if (outcome.status !== 'accepted') throw new Error('not accepted');
    const contact = await contacts.get(outcome.contactId);
    expect(contact).toMatchObject({
      email: 'ann@example.com',
      externalId: 'shop-42',
      consent: { email: { status: 'none' }, sms: { status: 'none' } },
      // Kept in cents of the order's currency.
      customer: { orders: 1, revenue: 120_000, currency: 'EUR', categories: { copiers: 1 } },
    });
    expect(contact?.customer?.ownedProducts).toEqual([
      expect.objectContaining({ sku: 'COPIER-9', replacementDueAt: '2030-11-19' }),
    ]);
    const [event] = await itemsOf(outcome.contactId, keys.eventPrefix);
    expect(event).toMatchObject({
      eventType: 'order_completed',
      data: {
        orderId: 'A-1',
        // Journeys and templates read money as the shop sent it.
        revenue: 1200,
        currency: 'EUR',
        replacementDueAt: '2030-11-19',
        replacementCategory: 'copiers',
        products: [expect.objectContaining({ sku: 'COPIER-9', category: 'copiers' })],
      },
    });
    expect(await itemsOf(outcome.contactId, keys.orderPrefix)).toHaveLength(1);
  });
});

describe('when an order is sent again', () => {
  it('treats a resent order under a new messageId as the same order', async () => {
    await ingestCall(deps, copierOrder('m-a'), 'api');
    expect(await ingestCall(deps, copierOrder('m-b'), 'api')).toEqual({
      status: 'duplicate',
      messageId: 'm-b',
    });
  });
});

describe('when an order is refunded', () => {
  it('takes the refund off the customer’s revenue and tells journeys', async () => {
    await ingestCall(deps, copierOrder('m-1'), 'api');
    const refund = {
      type: 'track',
      event: 'Order Refunded',
      userId: 'shop-42',
      messageId: 'm-r',
      properties: { order_id: 'A-1', total: 200 },
    };
    const outcome = await ingestCall(deps, refund, 'api');
    if (outcome.status !== 'accepted') throw new Error(`refused: ${JSON.stringify(outcome)}`);
    expect((await contacts.get(outcome.contactId))?.customer).toMatchObject({ revenue: 100_000, refunds: 1 });
    const events = await itemsOf(outcome.contactId, keys.eventPrefix);
    expect(events.find((event) => event.eventType === 'order_refunded')).toMatchObject({
      data: { orderId: 'A-1', amount: 200, currency: 'EUR' },
    });
    expect(await ingestCall(deps, refund, 'api')).toMatchObject({ status: 'duplicate' });
  });

  it('refuses a refund for an order it never received, naming the field', async () => {
    const refund = {
      type: 'track',
      event: 'Order Refunded',
      userId: 'u-x',
      messageId: 'm-x',
      properties: { order_id: 'nope' },
    };
    expect(await ingestCall(deps, refund, 'api')).toMatchObject({
      status: 'rejected',
      errors: { 'properties.order_id': 'no order "nope" was received for this customer' },
    });
  });
});

describe('identify', () => {
  it('keeps traits as attributes, names what changed, and links the shop’s id to a known email', async () => {
    await ingestCall(
      deps,
      {
        type: 'identify',
        messageId: 'i-1',
        traits: { email: 'bo@example.com', birthday: '1990-05-17', timezone: 'Europe/Oslo' },
      },
      'api',
    );
    const outcome = await ingestCall(
      deps,
      {
        type: 'identify',
        userId: 'shop-7',
        messageId: 'i-2',
        traits: { email: 'bo@example.com', plan: 'pro' },
      },
      'api',
    );
    if (outcome.status !== 'accepted') throw new Error('not accepted');
    expect(await contacts.get(outcome.contactId)).toMatchObject({
      externalId: 'shop-7',
      timeZone: 'Europe/Oslo',
      attributes: { birthday: '1990-05-17', plan: 'pro' },
    });
    expect(await store.resolve({ kind: 'user', value: 'shop-7' })).toBe(outcome.contactId);
    const updates = (await itemsOf(outcome.contactId, keys.eventPrefix)).map((item) => item.data);
    expect(updates).toContainEqual(expect.objectContaining({ changed: ['plan'] }));
  });
});

describe('batches', () => {
  it('answers each call, keeping the good ones when others are bad', async () => {
    const outcome = await ingestBatch(
      deps,
      { batch: [copierOrder('b-1', 'B-1'), { type: 'track', messageId: 'b-2' }, copierOrder('b-1', 'B-1')] },
      2_000,
      'api',
    );
    expect(outcome).toMatchObject({ accepted: 1, rejected: 1, duplicates: 1 });
    expect(outcome.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      errors: { event: expect.any(String) },
    });
  });

  it('refuses more than 500 calls, or more than 500 KB, as a whole', async () => {
    const many = { batch: Array.from({ length: 501 }, (_, i) => copierOrder(`x-${i}`, `X-${i}`)) };
    await expect(ingestBatch(deps, many, 1_000, 'api')).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(ingestBatch(deps, { batch: [] }, 600 * 1024, 'api')).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
  });
});

describe('when refunds of one order add up', () => {
  it('never takes back more than the order brought, whatever the message ids', async () => {
    await ingestCall(deps, copierOrder('m-1'), 'api');
    const refund = (messageId: string, total?: number) => ({
      type: 'track',
      event: 'Order Refunded',
      userId: 'shop-42',
      messageId,
      properties: { order_id: 'A-1', ...(total === undefined ? {} : { total }) },
    });
    expect(await ingestCall(deps, refund('r-1', 1000), 'api')).toMatchObject({ status: 'accepted' });
    expect(await ingestCall(deps, refund('r-2', 300), 'api')).toMatchObject({
      status: 'rejected',
      errors: { 'properties.total': 'is more than the 200 EUR left to refund of order "A-1"' },
    });
    expect(await ingestCall(deps, refund('r-3'), 'api')).toMatchObject({ status: 'accepted' });
    const outcome = await ingestCall(deps, refund('r-4'), 'api');
    expect(outcome).toMatchObject({
      status: 'rejected',
      errors: { 'properties.order_id': 'order "A-1" was refunded in full already' },
    });
    const contactId = await store.resolve({ kind: 'user', value: 'shop-42' });
    expect((await contacts.get(contactId ?? ''))?.customer).toMatchObject({ revenue: 0, refunds: 2 });
  });
});

describe('when money arrives in a currency', () => {
  const order = (messageId: string, properties: Record<string, unknown>) => ({
    type: 'track',
    event: 'Order Completed',
    userId: 'shop-7',
    messageId,
    timestamp: '2026-11-20T10:00:00Z',
    properties: { order_id: `O-${messageId}`, products: [{ sku: 'BOOK-1', price: 1500 }], ...properties },
  });

  it('keeps an order that names none in the deployment’s, by that currency’s own minor unit', async () => {
    const yenShop = ingestDepsFor(world, { settings: { ...deps.settings, defaultCurrency: 'JPY' } });
    const outcome = await ingestCall(yenShop, order('y-1', { total: 1500 }), 'api');
    if (outcome.status !== 'accepted') throw new Error(`refused: ${JSON.stringify(outcome)}`);
    expect((await contacts.get(outcome.contactId))?.customer).toMatchObject({
      currency: 'JPY',
      revenue: 1500,
    });
  });

  it('refuses an amount finer than the currency’s smallest unit, naming the field, and stores nothing', async () => {
    const outcome = await ingestCall(
      deps,
      order('y-2', { currency: 'jpy', total: 1500, products: [{ sku: 'BOOK-1', price: 1499.5 }] }),
      'api',
    );
    expect(outcome).toMatchObject({
      status: 'rejected',
      errors: { 'properties.products.0.price': 'has more decimals than JPY allows (0)' },
    });
    expect(await store.resolve({ kind: 'user', value: 'shop-7' })).toBeUndefined();
  });

  it('reads a refund in the refunded order’s currency, and refuses one finer than it', async () => {
    await ingestCall(deps, order('k-1', { currency: 'KWD', total: 12.345 }), 'api');
    const refund = (messageId: string, total: number) => ({
      type: 'track',
      event: 'Order Refunded',
      userId: 'shop-7',
      messageId,
      properties: { order_id: 'O-k-1', total },
    });
    expect(await ingestCall(deps, refund('k-2', 0.0005), 'api')).toMatchObject({
      status: 'rejected',
      errors: { 'properties.total': 'has more decimals than KWD allows (3)' },
    });
    expect(await ingestCall(deps, refund('k-3', 2.345), 'api')).toMatchObject({ status: 'accepted' });
    const contactId = await store.resolve({ kind: 'user', value: 'shop-7' });
    expect((await contacts.get(contactId ?? ''))?.customer).toMatchObject({
      currency: 'KWD',
      revenue: 10_000,
    });
  });
});

describe('when a buyer known only by the shop’s id is identified by email later', () => {
  it('puts the email on the profile it links, so the lookup is never one the profile does not name', async () => {
    const anonymous = { ...copierOrder('m-anon', 'A-9'), email: undefined, userId: 'shop-77' };
    const first = await ingestCall(deps, anonymous, 'api');
    if (first.status !== 'accepted') throw new Error('not accepted');
    expect((await contacts.get(first.contactId))?.email).toBe('');
    await ingestCall(
      deps,
      { type: 'identify', userId: 'shop-77', messageId: 'i-77', traits: { email: 'Kim@Example.com' } },
      'api',
    );
    expect((await contacts.get(first.contactId))?.email).toBe('kim@example.com');
    expect(await store.resolve({ kind: 'email', value: 'kim@example.com' })).toBe(first.contactId);
  });
});
