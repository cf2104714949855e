import { beforeEach, describe, expect, it } from 'vitest';
import {
  getProduct,
  importProducts,
  listProducts,
  type ManageCatalogDeps,
  publishProduct,
  putProduct,
} from '../../../lib/app/manage-catalog.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import type { manualClock } from './support/admin.js';
import { aWorld } from './support/worlds.js';

let deps: ManageCatalogDeps;
let time: ReturnType<typeof manualClock>;

beforeEach(async () => {
  const world = aWorld('2026-11-02T10:00:00.000Z');
  time = { clock: world.clock, set: (at) => world.clock.set(at) };
  deps = {
    catalog: world.catalog,
    jobs: world.jobs,
    ids: world.ids,
    clock: time.clock,
  };
});

const header = 'sku,name,category,price,currency,replacement_cycle_days,published_at,url,image';

describe('importing a catalog', () => {
  it('stores every good row, reports every bad one by line and field, and counts what it did', async () => {
    await putProduct(deps, 'TONER-1', { name: 'Old name', category: 'supplies', price: 40 });
    const result = await importProducts(deps, {
      format: 'csv',
      text: [
        header,
        'TONER-1,Toner cartridge,supplies,49.90,EUR,180,,,',
        'COPIER-9,Copier 9000,copiers,nine hundred,,1460,,,',
        'BOOK-7,Dune,books,25,,,2026-11-01T09:00:00Z,,',
        'FILTER-2,Water filter,kitchen,12,,90,,https://shop.example.com/filter,not a url',
      ].join('\n'),
    });
    expect(result).toEqual({
      received: 4,
      created: 1,
      replaced: 1,
      problems: [
        { line: 3, sku: 'COPIER-9', field: 'price', message: '"nine hundred" is not a price such as 19.90' },
        { line: 5, sku: 'FILTER-2', field: 'image', message: expect.any(String) },
      ],
    });
    expect((await listProducts(deps, {})).products.map((product) => product.sku)).toEqual([
      'BOOK-7',
      'TONER-1',
    ]);
    expect(await getProduct(deps, 'TONER-1')).toMatchObject({
      product: { name: 'Toner cartridge', replacementCycleDays: 180, createdAt: '2026-11-02T10:00:00.000Z' },
      version: 2,
    });
    // A launch date from the file is kept as one (and listed as a release), without telling anyone.
    expect(await deps.catalog.releasedSince('books', '2026-10-01T00:00:00Z', 10)).toHaveLength(1);
    expect(await deps.jobs.pending()).toEqual([]);
  });

  it('imports a JSON array the same way', async () => {
    const result = await importProducts(deps, {
      format: 'json',
      body: [
        { sku: 'A-1', name: 'Kite', category: 'toys', price: 5 },
        { sku: 'B-2', name: 'Ball', category: 'toys' },
      ],
    });
    expect(result).toMatchObject({
      received: 2,
      created: 1,
      problems: [{ index: 1, sku: 'B-2', field: 'price' }],
    });
  });
});

describe('storing one product', () => {
  it('keeps its launch date and creation time when it is replaced without them', async () => {
    await putProduct(deps, 'BOOK-7', { name: 'Dune', category: 'books', price: 25 });
    await publishProduct(deps, 'BOOK-7', undefined);
    time.set('2026-11-05T08:00:00.000Z');
    const replaced = await putProduct(deps, 'BOOK-7', { name: 'Dune', category: 'books', price: 19 });
    expect(replaced).toMatchObject({
      created: false,
      product: {
        price: 19,
        publishedAt: '2026-11-02T10:00:00.000Z',
        createdAt: '2026-11-02T10:00:00.000Z',
        updatedAt: '2026-11-05T08:00:00.000Z',
      },
    });
  });

  it('refuses a body whose sku disagrees with the path, or a bad field, naming the field', async () => {
    const refusal = (body: unknown) => putProduct(deps, 'BOOK-7', body).catch((error: unknown) => error);
    expect(await refusal({ sku: 'BOOK-8', name: 'Dune', category: 'books', price: 1 })).toMatchObject({
      fields: { sku: 'must be "BOOK-7", the sku in the path' },
    });
    const badPrice = await refusal({ name: 'Dune', category: 'books', price: 'free' });
    expect(badPrice).toBeInstanceOf(ValidationError);
    expect(badPrice).toMatchObject({ fields: { price: expect.any(String) } });
    expect(await putProduct(deps, 'bad sku', {}).catch((error: unknown) => error)).toMatchObject({
      fields: { sku: expect.any(String) },
    });
  });

  it('keeps a category path, and refuses a malformed one naming the category', async () => {
    const stored = await putProduct(deps, 'BOOK-7', { name: 'Dune', category: 'books/fantasy', price: 25 });
    expect(stored.product.category).toBe('books/fantasy');
    const refused = await putProduct(deps, 'BOOK-8', { name: 'Emma', category: 'books/', price: 9 }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ fields: { category: expect.stringContaining('start or end with "/"') } });
    expect(await deps.catalog.get('BOOK-8')).toBeUndefined();
  });
});
