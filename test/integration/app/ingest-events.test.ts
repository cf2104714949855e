import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoIngestionStore } from '../../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { type IngestDeps, ingestBatch, ingestCall } from '../../../lib/app/ingest-events.js';
import { PayloadTooLargeError } from '../../../lib/domain/errors.js';
import { TestClock } from '../support/delivery-world.js';
import { ingestDepsFor } from '../support/ingestion.js';
import { createTestTable, type TestTable } from '../support/table.js';

let table: TestTable;
let deps: IngestDeps;
let contacts: DynamoContactStore;
let store: DynamoIngestionStore;

beforeEach(async () => {
  table = await createTestTable();
  const { documentClient, tableName } = table;
  contacts = new DynamoContactStore(documentClient, tableName);
  store = new DynamoIngestionStore(documentClient, tableName);
  const catalog = new DynamoCatalogStore(documentClient, tableName);
  const at = '2026-01-01T00:00:00.000Z';
  await catalog.put(
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
  deps = ingestDepsFor({ documentClient, tableName }, new TestClock(new Date('2026-11-23T12:00:00Z')), {
    store,
    contacts,
    catalog,
  });
});

const copierOrder = (messageId: string, orderId = 'A-1') => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'shop-42',
  email: 'Ann@Example.com',
  messageId,
  timestamp: '2026-11-20T10:00:00Z',
  properties: {
    order_id: orderId,
    total: 1200,
    currency: 'EUR',
    products: [{ sku: 'COPIER-9', price: 1200 }],
  },
});

const itemsOf = async (contactId: string, prefix: string) =>
  queryAll(table.documentClient, {
    TableName: table.tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': prefix },
  });

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
      customer: { orders: 1, revenue: 1200, categories: { copiers: 1 } },
    });
    expect(contact?.customer?.ownedProducts).toEqual([
      expect.objectContaining({ sku: 'COPIER-9', replacementDueAt: '2030-11-19' }),
    ]);
    const [event] = await itemsOf(outcome.contactId, keys.eventPrefix);
    expect(event).toMatchObject({
      eventType: 'order_completed',
      data: {
        orderId: 'A-1',
        replacementDueAt: '2030-11-19',
        replacementCategory: 'copiers',
        products: [expect.objectContaining({ sku: 'COPIER-9', category: 'copiers' })],
      },
    });
    expect(await itemsOf(outcome.contactId, keys.orderPrefix)).toHaveLength(1);
  });
});

describe('when the same call arrives several times at once', () => {
  it('stores it once and answers the others as duplicates', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => ingestCall(deps, copierOrder('m-same'), 'api')),
    );
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(5);
    const contactId = await store.resolve({ kind: 'user', value: 'shop-42' });
    if (contactId === undefined) throw new Error('no contact');
    expect(await itemsOf(contactId, keys.orderPrefix)).toHaveLength(1);
    expect((await contacts.get(contactId))?.customer?.orders).toBe(1);
  });

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
    expect((await contacts.get(outcome.contactId))?.customer).toMatchObject({ revenue: 1000, refunds: 1 });
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
      errors: { 'properties.total': 'is more than the 200 left to refund of order "A-1"' },
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

describe('when calls hold what DynamoDB cannot store', () => {
  let deep: unknown = [];
  for (let level = 0; level < 100_000; level += 1) deep = [deep];
  let nestedTraits: Record<string, unknown> = { leaf: 1 };
  for (let level = 0; level < 30; level += 1) nestedTraits = { inner: nestedTraits };

  it('answers each "rejected", naming the field, never "failed" and retryable', async () => {
    const outcome = await ingestBatch(
      deps,
      {
        batch: [
          { ...copierOrder('m-big-1', 'B-1'), properties: { ...copierOrder('x').properties, total: 1e16 } },
          { type: 'identify', userId: 'shop-42', messageId: 'm-deep', traits: nestedTraits },
          { type: 'track', event: 'Deep', userId: 'shop-42', messageId: 'm-list', properties: { deep } },
          { type: 'track', event: 'Tiny', userId: 'shop-42', messageId: 'm-tiny', properties: { x: 1e-200 } },
          { type: 'identify', userId: 'shop-42', messageId: 'm-odd', traits: { constructor: 'kept' } },
        ],
      },
      1_000,
      'api',
    );

    expect(outcome.results.map((result) => result.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(outcome.results[0]).toMatchObject({
      errors: { 'properties.total': expect.stringContaining('2^53') },
    });
    const odd = outcome.results[4];
    if (odd?.status !== 'accepted') throw new Error('the identify was not accepted');
    expect((await contacts.get(odd.contactId))?.attributes).toEqual({ constructor: 'kept' });
  });

  it('rejects the call that would grow a profile past 400 KB, and keeps the profile readable', async () => {
    const answers = [];
    for (let call = 0; call < 15; call += 1) {
      const traits = { [`notes${call}`]: 'x'.repeat(30_000) };
      answers.push(
        await ingestCall(deps, { type: 'identify', userId: 'shop-7', messageId: `m-${call}`, traits }, 'api'),
      );
    }

    expect(answers.filter((answer) => answer.status === 'failed')).toEqual([]);
    expect(answers.at(-1)).toMatchObject({
      status: 'rejected',
      errors: { call: expect.stringContaining('cannot be stored') },
    });
    const first = answers[0];
    if (first?.status !== 'accepted') throw new Error('the first identify was not accepted');
    expect(await contacts.get(first.contactId)).toBeDefined();
  });
});
