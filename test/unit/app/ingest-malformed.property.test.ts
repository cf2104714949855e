import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type IngestDeps, ingestBatch, ingestCall } from '../../../lib/app/ingest-events.js';
import { aWorld, ingestDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: IngestDeps;

beforeAll(async () => {
  world = aWorld();
  deps = ingestDepsFor(world);
});

const itemCount = async () => world.table.scan().length;

/** Calls that look almost right: a real shape with one part broken or missing. */
const malformed = fc.oneof(
  fc.anything(),
  fc.record({
    type: fc.constantFrom('track', 'identify'),
    event: fc.constantFrom('Order Completed', 'Order Refunded'),
    messageId: fc.oneof(fc.constant(''), fc.integer(), fc.constant(undefined)),
    userId: fc.string({ minLength: 1 }),
  }),
  fc.record({
    type: fc.constant('track'),
    event: fc.constant('Order Completed'),
    messageId: fc.string({ minLength: 1 }),
    userId: fc.string({ minLength: 1 }),
    properties: fc.record({
      order_id: fc.string({ minLength: 1 }),
      total: fc.oneof(fc.constant('12'), fc.constant(Number.NaN), fc.constant(undefined)),
      products: fc.oneof(fc.constant([]), fc.array(fc.record({ price: fc.constant(-1) }), { minLength: 1 })),
    }),
  }),
  fc.record({
    type: fc.constant('track'),
    event: fc.string({ minLength: 1 }),
    messageId: fc.string({ minLength: 1 }),
  }),
);

describe('malformed calls, whatever their shape', () => {
  it('are refused with named problems, never throw, and store nothing', async () => {
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(malformed, async (raw) => {
        const outcome = await ingestCall(deps, raw, 'api');
        expect(outcome.status).toBe('rejected');
        if (outcome.status === 'rejected') expect(Object.keys(outcome.errors).length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const outcome = await ingestBatch(deps, { batch: [body] }, 100, 'api');
        expect(outcome).toMatchObject({ rejected: 1, accepted: 0, duplicates: 0 });
      }),
      { numRuns: 50 },
    );
    expect(await itemCount()).toBe(before);
  });
});
