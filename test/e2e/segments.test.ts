import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DynamoCatalogStore } from '../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { aShop, type Shop } from './support/shop.js';
import { startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * A shop sends its orders through the ingestion API; a marketer saves a segment
 * of recent crime readers over HTTP, counts it, and reads the count once the
 * journey-jobs schedule has walked every contact.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let shop: Shop;

const SegmentList = z.object({ segments: z.array(z.object({ id: z.string() })) });
const CountAnswer = z.object({
  count: z
    .object({ done: z.boolean(), seen: z.number(), sample: z.array(z.object({ email: z.string() })) })
    .nullable(),
});
const ErrorAnswer = z.object({ error: z.object({ fields: z.record(z.string(), z.string()) }) });

const admin = (method: string, path: string, body?: unknown) => shop.admin(method, path, body);
const ingest = (body: unknown) => shop.ingest(body);

const buys = async (user: string, sku: string, price: number) => {
  await ingest({
    type: 'identify',
    userId: user,
    messageId: `id-${user}`,
    traits: { email: `${user}@example.com` },
  });
  await ingest({
    type: 'track',
    event: 'Order Completed',
    userId: user,
    messageId: `order-${user}`,
    timestamp: new Date().toISOString(),
    properties: { order_id: `O-${user}`, total: price, currency: 'EUR', products: [{ sku, price }] },
  });
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  const catalog = new DynamoCatalogStore(table.documentClient, env.stack.tableName);
  const at = new Date().toISOString();
  for (const [sku, category] of [
    ['CRIME-1', 'books/crime'],
    ['RAKE-1', 'garden'],
  ] as const) {
    await catalog.put(
      { sku, name: sku, category, price: 20, currency: 'EUR', createdAt: at, updatedAt: at },
      undefined,
    );
  }
  shop = await aShop(env.stack.apiUrl, env.http);
});

afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

describe('segments on the local stack', () => {
  it('has the repository’s segments, seeded at start', async () => {
    const listed = await admin('GET', '/admin/segments');
    expect(listed.status).toBe(200);
    expect(SegmentList.parse(listed.body).segments.map((segment) => segment.id)).toEqual([
      'crime-readers',
      'lapsed-customers',
      'newsletter-never-bought',
      're-engagement-due',
      'replacement-due',
      'top-value',
    ]);
  });

  it('counts a segment saved over HTTP, over the contacts the orders made', async () => {
    await buys('alice', 'CRIME-1', 20);
    await buys('bob', 'CRIME-1', 20);
    await buys('carol', 'RAKE-1', 20);
    await env.stack.idle();

    const saved = await admin('PUT', '/admin/segments/recent-crime', {
      name: 'Recent crime readers',
      condition: { 'contact.customer.categoryLastPurchasedAt.books/crime': { $within: '-P30D' } },
    });
    expect(saved).toMatchObject({ status: 201, body: { created: true, segment: { version: 1 } } });

    const filed = await admin('POST', '/admin/segments/recent-crime/count');
    expect(filed).toMatchObject({
      status: 202,
      body: { job: { status: 'pending', work: { kind: 'segment-count', segmentId: 'recent-crime' } } },
    });
    const before = (await admin('GET', '/admin/segments/recent-crime/count')).body;
    expect(CountAnswer.parse(before).count).toMatchObject({
      done: false,
      seen: 0,
    });

    await env.stack.tick();

    const { body } = await admin('GET', '/admin/segments/recent-crime/count');
    expect(body).toMatchObject({ count: { status: 'done', done: true, seen: 3, members: 2, version: 1 } });
    expect(
      CountAnswer.parse(body)
        .count?.sample.map((member) => member.email)
        .sort(),
    ).toEqual(['alice@example.com', 'bob@example.com']);
  });

  it('answers 400 naming the field, 409 for a stale save, 404 for an unknown segment', async () => {
    const bad = await admin('PUT', '/admin/segments/soon', {
      name: 'Soon',
      condition: { 'contact.customer.lastPurchaseAt': { $within: 'soon' } },
    });
    expect(bad.status).toBe(400);
    expect(ErrorAnswer.parse(bad.body).error.fields).toEqual({
      condition: expect.stringContaining('$within'),
    });

    const again = await admin('PUT', '/admin/segments/recent-crime', { name: 'Again', condition: {} });
    expect(again.status).toBe(409);

    expect((await admin('GET', '/admin/segments/nobody/count')).status).toBe(404);
    const validated = await admin('POST', '/admin/segments/validate', {
      id: 'x',
      name: 'X',
      condition: { a: 1 },
    });
    expect(validated).toMatchObject({ status: 200, body: { valid: true } });
  });
});
