import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryCatalogStore } from '../../../lib/adapters/memory/memory-catalog-store.js';
import { type RecommendationDeps, recommendationsFor } from '../../../lib/app/recommend-for-contact.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { aContact } from '../../support/builders.js';
import { aWorld } from './support/worlds.js';

/**
 * Recommendations read the catalog's releases per category on the card: at the
 * leaf for a genre reader, and the whole department for someone who bought in
 * `books` itself before the shop had genres.
 */
let deps: RecommendationDeps;
let catalog: MemoryCatalogStore;
const now = new Date('2026-11-23T12:00:00.000Z');

beforeEach(async () => {
  const world = aWorld(now.toISOString());
  catalog = world.catalog;
  deps = { catalog, coPurchases: world.coPurchases, contacts: world.contacts };
  const at = '2026-01-01T00:00:00.000Z';
  for (const [sku, category, publishedAt] of [
    ['CRIME-NEW', 'books/crime', '2026-11-20T09:00:00.000Z'],
    ['COOK-NEW', 'books/cooking', '2026-11-21T09:00:00.000Z'],
    ['PAPER-NEW', 'office/paper', '2026-11-22T09:00:00.000Z'],
  ] as const) {
    await catalog.put(
      { sku, name: sku, category, price: 10, currency: 'EUR', publishedAt, createdAt: at, updatedAt: at },
      undefined,
    );
  }
});

const buyer = (categories: Record<string, number>) =>
  aContact({
    customer: {
      ...emptyCustomerCard(),
      orders: 1,
      firstPurchaseAt: '2026-11-01T10:00:00.000Z',
      lastPurchaseAt: '2026-11-01T10:00:00.000Z',
      categories,
      categoryLastPurchasedAt: Object.fromEntries(
        Object.keys(categories).map((category) => [category, '2026-11-01T10:00:00.000Z']),
      ),
    },
  });

const picks = async (categories: Record<string, number>) =>
  (await recommendationsFor(deps, buyer(categories), now, 6)).map(({ sku, reason }) => `${sku}:${reason}`);

describe('when categories are paths, recommendations from the catalog', () => {
  it('show a crime reader the new crime novel, and not the new cookbook', async () => {
    expect(await picks({ 'books/crime': 2 })).toEqual(['CRIME-NEW:new-in-category']);
    expect(await picks({ 'books/cooking': 1 })).toEqual(['COOK-NEW:new-in-category']);
  });

  it('show a buyer in books itself every new book, each once, and nothing from the office', async () => {
    // The department outweighs the genre here (3 units to 1), so the cookbook leads.
    const skus = (await picks({ books: 3, 'books/crime': 1 })).map((pick) => pick.split(':')[0]);
    expect(skus).toEqual(['COOK-NEW', 'CRIME-NEW']);
  });
});
