import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import type { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { aWorld, ingestDepsFor } from './support/worlds.js';

/**
 * Orders and product views carry each category with the levels above it
 * (`categories`), so a journey can trigger on the `books` department while the
 * card counts the genre.
 */
let world: MemoryWorld;
let deps: IngestDeps;
let contacts: MemoryContactStore;

beforeEach(async () => {
  world = aWorld();
  contacts = world.contacts;
  const catalog = world.catalog;
  const at = '2026-01-01T00:00:00.000Z';
  for (const [sku, category] of [
    ['CRIME-1', 'books/crime'],
    ['PAPER-1', 'office/paper'],
  ] as const) {
    await catalog.put(
      { sku, name: `Product ${sku}`, category, price: 10, currency: 'EUR', createdAt: at, updatedAt: at },
      undefined,
    );
  }
  deps = ingestDepsFor(world);
});

/** The event items as stored (the event's type as `eventType`). */
const eventsOf = async (contactId: string) => world.items(keys.contact(contactId).PK, keys.eventPrefix);

const accepted = async (call: Record<string, unknown>): Promise<string> => {
  const outcome = await ingestCall(deps, call, 'api');
  if (outcome.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  return outcome.contactId;
};

describe('when an order has products filed under category paths', () => {
  it('gives each line of the order_completed event its category and every level above it', async () => {
    const contactId = await accepted({
      type: 'track',
      event: 'Order Completed',
      userId: 'reader-1',
      messageId: 'order-1',
      timestamp: '2026-11-20T10:00:00Z',
      properties: {
        order_id: 'O-1',
        total: 40,
        products: [
          // The category from the catalog.
          { sku: 'CRIME-1', price: 10, quantity: 2 },
          // The category the shop sends wins, as before.
          { sku: 'COOK-1', category: 'books/cooking', price: 10 },
          // A flat one keeps working, and one a shop sends that is no path is its own only level.
          { sku: 'MUG-1', category: 'kitchen', price: 5 },
          { sku: 'ODD-1', category: 'Books//Odd', price: 5 },
          // Without a category there is nothing to carry.
          { sku: 'UNKNOWN-1', price: 5 },
        ],
      },
    });
    const [event] = await eventsOf(contactId);
    expect(event).toMatchObject({
      eventType: 'order_completed',
      data: {
        products: [
          { sku: 'CRIME-1', category: 'books/crime', categories: ['books', 'books/crime'] },
          { sku: 'COOK-1', category: 'books/cooking', categories: ['books', 'books/cooking'] },
          { sku: 'MUG-1', category: 'kitchen', categories: ['kitchen'] },
          { sku: 'ODD-1', category: 'Books//Odd', categories: ['Books//Odd'] },
          expect.not.objectContaining({ categories: expect.anything() }),
        ],
      },
    });
    expect((await contacts.get(contactId))?.customer?.categories).toEqual({
      'books/crime': 2,
      'books/cooking': 1,
      kitchen: 1,
      'Books//Odd': 1,
    });
  });
});

describe('when a product view names a category', () => {
  it('gives the product_viewed event the category and every level above it', async () => {
    const contactId = await accepted({
      type: 'track',
      event: 'Product Viewed',
      userId: 'reader-2',
      messageId: 'view-1',
      properties: { sku: 'CRIME-1', category: 'books/crime' },
    });
    expect(await eventsOf(contactId)).toEqual([
      expect.objectContaining({
        eventType: 'product_viewed',
        data: { sku: 'CRIME-1', category: 'books/crime', categories: ['books', 'books/crime'] },
      }),
    ]);
  });
});
