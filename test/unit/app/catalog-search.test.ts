import { beforeEach, describe, expect, it } from 'vitest';
import {
  listProducts,
  type ManageCatalogDeps,
  maxProductsSearched,
  putProduct,
} from '../../../lib/app/manage-catalog.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aWorld } from './support/worlds.js';

let deps: ManageCatalogDeps;

beforeEach(async () => {
  const world = aWorld('2026-11-02T10:00:00.000Z');
  deps = { catalog: world.catalog, jobs: world.jobs, ids: world.ids, clock: world.clock };
  await putProduct(deps, 'BOOK-1', { name: 'Dune', category: 'books/scifi', price: 25 });
  await putProduct(deps, 'BOOK-2', { name: 'The Crime Novel', category: 'books/crime', price: 19 });
  await putProduct(deps, 'LAMP-1', { name: 'Desk lamp', category: 'office/lighting', price: 35 });
  await putProduct(deps, 'TONER-1', { name: 'Toner', category: 'supplies', price: 49.9 });
});

const skus = (page: { products: { sku: string }[] }) => page.products.map((product) => product.sku);

describe('searching the catalog', () => {
  it('finds products whose sku, name or category contains the text, in any case', async () => {
    expect(skus(await listProducts(deps, { q: 'crime' }))).toEqual(['BOOK-2']);
    expect(skus(await listProducts(deps, { q: 'LAMP' }))).toEqual(['LAMP-1']);
    expect(skus(await listProducts(deps, { q: 'book' }))).toEqual(['BOOK-1', 'BOOK-2']);
    expect(skus(await listProducts(deps, { q: 'ton' }))).toEqual(['TONER-1']);
    expect(await listProducts(deps, { q: 'nothing like it' })).toEqual({ products: [] });
  });

  it('pages the matches: a full page names the last match as where the next one goes on', async () => {
    const first = await listProducts(deps, { q: 'o', limit: '2' });
    expect(skus(first)).toEqual(['BOOK-1', 'BOOK-2']);
    expect(first.next).toBe('BOOK-2');
    const second = await listProducts(deps, { q: 'o', limit: '2', after: first.next });
    expect(skus(second)).toEqual(['LAMP-1', 'TONER-1']);
  });

  it('looks at a bounded number of products per request, and says where to look further', async () => {
    for (let n = 0; n < maxProductsSearched + 5; n += 1) {
      await putProduct(deps, `PLAIN-${String(n).padStart(5, '0')}`, {
        name: 'Plain',
        category: 'misc',
        price: 1,
      });
    }
    await putProduct(deps, 'ZZ-RARE', { name: 'Rare find', category: 'misc', price: 1 });
    const first = await listProducts(deps, { q: 'rare' });
    expect(first.products).toEqual([]);
    expect(first.next).toBeDefined();
    const further = await listProducts(deps, { q: 'rare', after: first.next });
    expect(skus(further)).toEqual(['ZZ-RARE']);
    expect(further.next).toBeUndefined();
  });

  it('refuses an empty search text, naming q', async () => {
    await expect(listProducts(deps, { q: '  ' })).rejects.toThrow(ValidationError);
    await expect(listProducts(deps, { q: '  ' })).rejects.toMatchObject({
      fields: { q: expect.any(String) },
    });
  });
});
