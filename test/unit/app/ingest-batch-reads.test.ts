import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type IngestDeps, ingestBatch, ingestCall } from '../../../lib/app/ingest-events.js';
import type { ContactLookup } from '../../../lib/ports/contact-store.js';
import type { IngestionStore } from '../../../lib/ports/ingestion-store.js';
import type { ProductLookup } from '../../../lib/ports/product-lookup.js';
import { copierOrder } from '../../support/builders.js';
import { aWorld, ingestDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: IngestDeps;
let asked: Record<string, number>;
/** Runs once, right after the batch's contacts are read ahead (a writer racing the batch). */
let afterReadAhead: (() => Promise<void>) | undefined;

/** `read`, counted under `name` each time it is asked. */
const counted =
  <A extends unknown[], R>(name: string, read: (...args: A) => R) =>
  (...args: A): R => {
    asked[name] = (asked[name] ?? 0) + 1;
    return read(...args);
  };

beforeEach(async () => {
  world = aWorld();
  const at = '2026-01-01T00:00:00.000Z';
  await world.catalog.put(
    {
      sku: 'COPIER-9',
      name: 'Copier 9',
      category: 'copiers',
      price: 1200,
      currency: 'EUR',
      createdAt: at,
      updatedAt: at,
    },
    undefined,
  );
  asked = {};
  afterReadAhead = undefined;
  const store: IngestionStore = {
    resolve: counted('resolve', (claim) => world.ingestion.resolve(claim)),
    resolveMany: counted('resolveMany', (claims) => world.ingestion.resolveMany(claims)),
    marked: counted('marked', (marks) => world.ingestion.marked(marks)),
    record: counted('record', (write) => world.ingestion.record(write)),
    order: (contactId, orderId) => world.ingestion.order(contactId, orderId),
  };
  const contacts: ContactLookup = {
    get: counted('get', (contactId) => world.contacts.get(contactId)),
    getMany: counted('getMany', async (contactIds) => {
      const found = await world.contacts.getMany(contactIds);
      const race = afterReadAhead;
      afterReadAhead = undefined;
      await race?.();
      return found;
    }),
  };
  const catalog: ProductLookup = {
    getMany: counted('catalog', (skus) => world.catalog.getMany(skus)),
  };
  const clicks: IngestDeps['clicks'] = {
    since: counted('clicks', (contactId, since) => world.clicks.since(contactId, since)),
  };
  deps = ingestDepsFor(world, { store, contacts, catalog, clicks });
});

const customer = (n: number) => ({ userId: `shop-${n}`, email: `buyer-${n}@example.com` });
const order = (n: number, messageId: string) => ({
  ...copierOrder(messageId, `O-${messageId}`),
  ...customer(n),
});
const identify = (n: number, messageId: string, traits: Record<string, unknown>) => ({
  type: 'identify',
  messageId,
  ...customer(n),
  traits,
});

const contactOf = async (n: number) => {
  const contactId = await world.ingestion.resolve({ kind: 'user', value: `shop-${n}` });
  return contactId === undefined ? undefined : world.contacts.get(contactId);
};

describe('a batch reads what its calls need ahead, in bulk', () => {
  it('reads the identities, contacts, dedupe marks and products once for the batch, not once a call', async () => {
    for (const n of [1, 2, 3]) await ingestCall(deps, order(n, `first-${n}`), 'api');
    asked = {};

    const outcome = await ingestBatch(
      deps,
      { batch: [1, 2, 3].map((n) => order(n, `again-${n}`)) },
      1_000,
      'api',
    );

    expect(outcome).toMatchObject({ accepted: 3, duplicates: 0, failed: 0 });
    expect(asked).toMatchObject({ resolveMany: 1, getMany: 1, marked: 1, catalog: 1, record: 3 });
    expect(asked.resolve).toBeUndefined();
    expect(asked.get).toBeUndefined();
    for (const n of [1, 2, 3]) expect((await contactOf(n))?.customer).toMatchObject({ orders: 2 });
  });

  it('looks for the clicks of a returning customer only, not of a contact its own call creates', async () => {
    await ingestBatch(deps, { batch: [order(1, 'm-1'), order(1, 'm-2'), order(2, 'm-3')] }, 1_000, 'api');

    expect(asked.clicks).toBe(1);
  });

  it('answers a batch sent again as duplicates without writing anything a second time', async () => {
    const batch = { batch: [order(1, 'm-1'), identify(2, 'm-2', { plan: 'pro' }), order(2, 'm-3')] };
    expect(await ingestBatch(deps, batch, 1_000, 'api')).toMatchObject({ accepted: 3 });
    asked = {};

    expect(await ingestBatch(deps, batch, 1_000, 'api')).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(asked.record).toBeUndefined();
    expect((await contactOf(2))?.customer).toMatchObject({ orders: 1 });
  });

  it('still lets only one through of two copies of a call the read ahead could not have seen', async () => {
    const copy = { ...order(2, 'm-1'), properties: order(1, 'm-1').properties };
    const outcome = await ingestBatch(deps, { batch: [order(1, 'm-1'), copy] }, 1_000, 'api');

    expect(outcome).toMatchObject({ accepted: 1, duplicates: 1 });
    const orders = [(await contactOf(1))?.customer?.orders ?? 0, (await contactOf(2))?.customer?.orders ?? 0];
    expect(orders.reduce((sum, n) => sum + n, 0)).toBe(1);
  });

  it("lets a person's later calls see what the earlier ones wrote, without conflicting", async () => {
    await ingestCall(deps, order(1, 'before'), 'api');
    asked = {};

    const outcome = await ingestBatch(
      deps,
      { batch: [identify(1, 'm-1', { plan: 'pro' }), order(1, 'm-2'), order(1, 'm-3')] },
      1_000,
      'api',
    );

    expect(outcome).toMatchObject({ accepted: 3 });
    // One transaction a call: none was refused for a profile read before the person's earlier calls.
    expect(asked.record).toBe(3);
    expect(await contactOf(1)).toMatchObject({ attributes: { plan: 'pro' }, customer: { orders: 3 } });
  });

  it('keeps a write that lands between the read ahead and a call, reading afresh on the conflict', async () => {
    await ingestCall(deps, order(1, 'before'), 'api');
    const plain = ingestDepsFor(world);
    afterReadAhead = async () => {
      await ingestCall(plain, identify(1, 'racing', { plan: 'pro' }), 'api');
    };

    const outcome = await ingestBatch(deps, { batch: [order(1, 'm-1')] }, 1_000, 'api');

    expect(outcome).toMatchObject({ accepted: 1 });
    expect(await contactOf(1)).toMatchObject({ attributes: { plan: 'pro' }, customer: { orders: 2 } });
  });

  it('falls back to each call reading for itself when the read ahead fails', async () => {
    const failing: IngestionStore = {
      ...world.ingestion,
      resolve: (claim) => world.ingestion.resolve(claim),
      record: (write) => world.ingestion.record(write),
      order: (contactId, orderId) => world.ingestion.order(contactId, orderId),
      resolveMany: () => Promise.reject(new Error('throttled')),
      marked: (marks) => world.ingestion.marked(marks),
    };
    const outcome = await ingestBatch(
      ingestDepsFor(world, { store: failing }),
      { batch: [order(1, 'm-1'), order(2, 'm-2')] },
      1_000,
      'api',
    );

    expect(outcome).toMatchObject({ accepted: 2, failed: 0 });
    expect(await contactOf(2)).toMatchObject({ customer: { orders: 1 } });
  });
});
