import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError, NotFoundError } from '../../lib/domain/errors.js';
import type { Product } from '../../lib/domain/product.js';
import type { ContractStores, MakeStores } from './stores.js';

const at = '2026-10-01T08:00:00.000Z';

export const aProduct = (sku: string, overrides: Partial<Product> = {}): Product => ({
  sku,
  name: `Product ${sku}`,
  category: 'books',
  price: 10,
  currency: 'EUR',
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

/** CatalogStore (and ProductLookup, its getMany): versions, pages in sku order, releases by category path. */
export const catalogStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });
    const skus = (products: Product[]) => products.map((product) => product.sku);
    const since = '2026-01-01T00:00:00Z';

    it('creates a product at version 1 and replaces it only over the version that was read', async () => {
      const { catalog } = stores;
      expect(await catalog.put(aProduct('A-1'), undefined)).toEqual({ product: aProduct('A-1'), version: 1 });
      await expect(catalog.put(aProduct('A-1', { name: 'Second create' }), undefined)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      expect(await catalog.put(aProduct('A-1', { price: 12 }), 1)).toMatchObject({ version: 2 });
      await expect(catalog.put(aProduct('A-1', { price: 99 }), 1)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      expect(await catalog.get('A-1')).toEqual({ product: aProduct('A-1', { price: 12 }), version: 2 });
    });

    it('answers undefined for a product it does not have', async () => {
      expect(await stores.catalog.get('NONE')).toBeUndefined();
      expect(await stores.catalog.remove('NONE')).toBeUndefined();
    });

    it('reads many products at once for an order, each once, leaving unknown skus out', async () => {
      for (const sku of ['SKU-1', 'SKU-2', 'SKU-3']) await stores.catalog.put(aProduct(sku), undefined);
      const found = await stores.catalog.getMany(['SKU-3', 'UNKNOWN-1', 'SKU-1', 'SKU-1']);
      expect([...found.keys()].sort()).toEqual(['SKU-1', 'SKU-3']);
      expect(found.get('SKU-3')).toEqual(aProduct('SKU-3'));
      expect(await stores.catalog.getMany([])).toEqual(new Map());
    });

    it('lists the catalog in sku order, page by page, to the end', async () => {
      for (const sku of ['C-3', 'A-1', 'E-5', 'B-2', 'D-4'])
        await stores.catalog.put(aProduct(sku), undefined);
      const first = await stores.catalog.list(2);
      expect(skus(first.products)).toEqual(['A-1', 'B-2']);
      const second = await stores.catalog.list(2, first.next);
      expect(skus(second.products)).toEqual(['C-3', 'D-4']);
      const third = await stores.catalog.list(2, second.next);
      expect(skus(third.products)).toEqual(['E-5']);
      expect(third.next).toBeUndefined();
    });

    it('publishes: sets the time in its canonical form and makes the product a release of its category', async () => {
      await stores.catalog.put(aProduct('A-1'), undefined);
      const published = await stores.catalog.publish(
        'A-1',
        '2026-11-01T09:00:00Z',
        '2026-11-01T09:00:01.000Z',
      );
      const expected = aProduct('A-1', {
        publishedAt: '2026-11-01T09:00:00.000Z',
        updatedAt: '2026-11-01T09:00:01.000Z',
      });
      expect(published).toEqual({ product: expected, version: 2 });
      expect(await stores.catalog.releasedSince('books', since, 10)).toEqual([expected]);
      await expect(stores.catalog.publish('NONE', at, at)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('finds the releases of a category strictly after a moment, newest first, up to a limit', async () => {
      const launches: Array<[string, string, string]> = [
        ['B-1', 'books', '2026-11-01T09:00:00.000Z'],
        ['B-2', 'books', '2026-11-03T09:00:00.000Z'],
        ['B-3', 'books', '2026-11-02T09:00:00.000Z'],
        ['B-4', 'books', '2026-11-04T09:00:00.000Z'],
        ['G-1', 'garden', '2026-11-05T09:00:00.000Z'],
      ];
      for (const [sku, category, publishedAt] of launches) {
        await stores.catalog.put(aProduct(sku, { category, publishedAt }), undefined);
      }
      await stores.catalog.put(aProduct('B-5'), undefined);

      const books = await stores.catalog.releasedSince('books', '2026-11-01T09:00:00Z', 10);
      expect(skus(books)).toEqual(['B-4', 'B-2', 'B-3']);
      expect(books[2]).toEqual(aProduct('B-3', { publishedAt: '2026-11-02T09:00:00.000Z' }));
      expect(skus(await stores.catalog.releasedSince('books', '2026-10-01T00:00:00Z', 2))).toEqual([
        'B-4',
        'B-2',
      ]);
      expect(await stores.catalog.releasedSince('books', '2026-11-04T09:00:00.000Z', 10)).toEqual([]);
      expect(await stores.catalog.releasedSince('books', '2026-10-01T00:00:00Z', 0)).toEqual([]);
      expect(skus(await stores.catalog.releasedSince('garden', '2026-11-01T00:00:00Z', 10))).toEqual(['G-1']);
    });

    it('moves the release with the product when its category or launch changes, and keeps its snapshot current', async () => {
      await stores.catalog.put(aProduct('A-1', { publishedAt: '2026-11-01T09:00:00Z' }), undefined);
      await stores.catalog.put(
        aProduct('A-1', { category: 'garden', publishedAt: '2026-11-01T09:00:00Z' }),
        1,
      );
      expect(await stores.catalog.releasedSince('books', since, 10)).toEqual([]);
      expect(skus(await stores.catalog.releasedSince('garden', since, 10))).toEqual(['A-1']);

      await stores.catalog.publish('A-1', '2026-11-08T10:00:00Z', '2026-11-08T10:00:00.000Z');
      expect(await stores.catalog.releasedSince('garden', '2026-11-05T00:00:00Z', 10)).toHaveLength(1);

      await stores.catalog.put(
        aProduct('A-1', { category: 'garden', price: 7, publishedAt: '2026-11-08T10:00:00Z' }),
        3,
      );
      expect(await stores.catalog.releasedSince('garden', since, 10)).toEqual([
        aProduct('A-1', { category: 'garden', price: 7, publishedAt: '2026-11-08T10:00:00.000Z' }),
      ]);
    });

    it('removes the product with its releases', async () => {
      await stores.catalog.put(aProduct('A-1', { publishedAt: '2026-11-01T09:00:00Z' }), undefined);
      expect(await stores.catalog.remove('A-1')).toMatchObject({ sku: 'A-1' });
      expect(await stores.catalog.get('A-1')).toBeUndefined();
      expect(await stores.catalog.releasedSince('books', since, 10)).toEqual([]);
    });

    describe('when categories are paths', () => {
      it('makes a release new in each level, so "new in books/crime" finds only crime and "new in books" every book', async () => {
        await stores.catalog.put(
          aProduct('CRIME-1', { category: 'books/crime', publishedAt: '2026-11-02T09:00:00Z' }),
          undefined,
        );
        await stores.catalog.put(
          aProduct('COOK-1', { category: 'books/cooking', publishedAt: '2026-11-03T09:00:00Z' }),
          undefined,
        );
        await stores.catalog.put(
          aProduct('PAPER-1', { category: 'office/paper', publishedAt: '2026-11-04T09:00:00Z' }),
          undefined,
        );

        const from = '2026-11-01T00:00:00Z';
        expect(skus(await stores.catalog.releasedSince('books/crime', from, 10))).toEqual(['CRIME-1']);
        expect(skus(await stores.catalog.releasedSince('books/cooking', from, 10))).toEqual(['COOK-1']);
        expect(await stores.catalog.releasedSince('books', from, 10)).toEqual([
          aProduct('COOK-1', { category: 'books/cooking', publishedAt: '2026-11-03T09:00:00.000Z' }),
          aProduct('CRIME-1', { category: 'books/crime', publishedAt: '2026-11-02T09:00:00.000Z' }),
        ]);
      });

      it('moves the releases with the product when it changes genre, and removes them all with it', async () => {
        const launch = '2026-11-01T09:00:00Z';
        await stores.catalog.put(aProduct('B-1', { category: 'books', publishedAt: launch }), undefined);
        await stores.catalog.put(aProduct('B-1', { category: 'books/crime', publishedAt: launch }), 1);
        expect(skus(await stores.catalog.releasedSince('books', since, 10))).toEqual(['B-1']);
        expect(skus(await stores.catalog.releasedSince('books/crime', since, 10))).toEqual(['B-1']);

        await stores.catalog.put(aProduct('B-1', { category: 'books/history', publishedAt: launch }), 2);
        expect(await stores.catalog.releasedSince('books/crime', since, 10)).toEqual([]);
        expect(skus(await stores.catalog.releasedSince('books/history', since, 10))).toEqual(['B-1']);
        expect((await stores.catalog.releasedSince('books', since, 10))[0]).toMatchObject({
          category: 'books/history',
        });

        await stores.catalog.remove('B-1');
        expect(await stores.catalog.releasedSince('books', since, 10)).toEqual([]);
        expect(await stores.catalog.releasedSince('books/history', since, 10)).toEqual([]);
      });
    });
  });
