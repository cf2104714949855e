import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { ConcurrentUpdateError, NotFoundError } from '../../../lib/domain/errors.js';
import type { Product } from '../../../lib/domain/product.js';
import { createTestTable } from '../support/table.js';

let catalog: DynamoCatalogStore;
let table: { documentClient: DynamoDBDocumentClient; tableName: string };

beforeEach(async () => {
  table = await createTestTable();
  catalog = new DynamoCatalogStore(table.documentClient, table.tableName);
});

const at = '2026-10-01T08:00:00.000Z';

const aProduct = (sku: string, overrides: Partial<Product> = {}): Product => ({
  sku,
  name: `Product ${sku}`,
  category: 'books',
  price: 10,
  currency: 'EUR',
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

/** What the category partition holds, as sort keys. */
const releaseKeys = async (category: string): Promise<unknown[]> =>
  (
    await queryAll(table.documentClient, {
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.categoryReleasePartition(category) },
    })
  ).map((item) => item.SK);

describe('the DynamoDB catalog store', () => {
  it('creates a product at version 1 and replaces it only over the version that was read', async () => {
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
    expect(await catalog.get('NONE')).toBeUndefined();
    expect(await catalog.remove('NONE')).toBeUndefined();
  });

  it('reads many products at once for an order, leaving unknown skus out, beyond one batch of 100', async () => {
    const skus = Array.from({ length: 130 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);
    for (const sku of skus) await catalog.put(aProduct(sku), undefined);
    const found = await catalog.getMany([...skus, 'UNKNOWN-1', 'SKU-001']);
    expect(found.size).toBe(130);
    expect(found.get('SKU-129')).toEqual(aProduct('SKU-129'));
    expect(found.has('UNKNOWN-1')).toBe(false);
    expect(await catalog.getMany([])).toEqual(new Map());
  });

  it('lists the catalog in sku order, page by page, to the end', async () => {
    for (const sku of ['C-3', 'A-1', 'E-5', 'B-2', 'D-4']) await catalog.put(aProduct(sku), undefined);
    const first = await catalog.list(2);
    expect(first.products.map((p) => p.sku)).toEqual(['A-1', 'B-2']);
    const second = await catalog.list(2, first.next);
    expect(second.products.map((p) => p.sku)).toEqual(['C-3', 'D-4']);
    const third = await catalog.list(2, second.next);
    expect(third.products.map((p) => p.sku)).toEqual(['E-5']);
    expect(third.next).toBeUndefined();
  });

  it('publishes: sets the time and files the product under its category in the same write', async () => {
    await catalog.put(aProduct('A-1'), undefined);
    const published = await catalog.publish('A-1', '2026-11-01T09:00:00Z', '2026-11-01T09:00:01.000Z');
    expect(published).toEqual({
      product: aProduct('A-1', {
        publishedAt: '2026-11-01T09:00:00.000Z',
        updatedAt: '2026-11-01T09:00:01.000Z',
      }),
      version: 2,
    });
    expect(await releaseKeys('books')).toEqual(['2026-11-01T09:00:00.000Z#A-1']);
    await expect(catalog.publish('NONE', at, at)).rejects.toBeInstanceOf(NotFoundError);
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
      await catalog.put(aProduct(sku, { category, publishedAt }), undefined);
    }
    await catalog.put(aProduct('B-5'), undefined);

    const since = await catalog.releasedSince('books', '2026-11-01T09:00:00Z', 10);
    expect(since.map((p) => p.sku)).toEqual(['B-4', 'B-2', 'B-3']);
    expect(since[2]).toEqual(aProduct('B-3', { publishedAt: '2026-11-02T09:00:00.000Z' }));
    expect((await catalog.releasedSince('books', '2026-10-01T00:00:00Z', 2)).map((p) => p.sku)).toEqual([
      'B-4',
      'B-2',
    ]);
    expect(await catalog.releasedSince('books', '2026-11-04T09:00:00.000Z', 10)).toEqual([]);
    expect((await catalog.releasedSince('garden', '2026-11-01T00:00:00Z', 10)).map((p) => p.sku)).toEqual([
      'G-1',
    ]);
  });

  it('moves the release with the product when its category or launch changes, and keeps its snapshot current', async () => {
    await catalog.put(aProduct('A-1', { publishedAt: '2026-11-01T09:00:00Z' }), undefined);
    await catalog.put(aProduct('A-1', { category: 'garden', publishedAt: '2026-11-01T09:00:00Z' }), 1);
    expect(await releaseKeys('books')).toEqual([]);
    expect(await releaseKeys('garden')).toEqual(['2026-11-01T09:00:00.000Z#A-1']);

    await catalog.publish('A-1', '2026-11-08T10:00:00Z', '2026-11-08T10:00:00.000Z');
    expect(await releaseKeys('garden')).toEqual(['2026-11-08T10:00:00.000Z#A-1']);

    await catalog.put(
      aProduct('A-1', { category: 'garden', price: 7, publishedAt: '2026-11-08T10:00:00Z' }),
      3,
    );
    expect(await catalog.releasedSince('garden', '2026-11-01T00:00:00Z', 10)).toEqual([
      aProduct('A-1', { category: 'garden', price: 7, publishedAt: '2026-11-08T10:00:00.000Z' }),
    ]);
  });

  it('removes the product with its release', async () => {
    await catalog.put(aProduct('A-1', { publishedAt: '2026-11-01T09:00:00Z' }), undefined);
    expect(await catalog.remove('A-1')).toMatchObject({ sku: 'A-1' });
    expect(await catalog.get('A-1')).toBeUndefined();
    expect(await releaseKeys('books')).toEqual([]);
  });
});

describe('when categories are paths', () => {
  it('files a release under each level, so "new in books/crime" finds only crime and "new in books" every book', async () => {
    await catalog.put(
      aProduct('CRIME-1', { category: 'books/crime', publishedAt: '2026-11-02T09:00:00Z' }),
      undefined,
    );
    await catalog.put(
      aProduct('COOK-1', { category: 'books/cooking', publishedAt: '2026-11-03T09:00:00Z' }),
      undefined,
    );
    await catalog.put(
      aProduct('PAPER-1', { category: 'office/paper', publishedAt: '2026-11-04T09:00:00Z' }),
      undefined,
    );

    expect(await releaseKeys('books/crime')).toEqual(['2026-11-02T09:00:00.000Z#CRIME-1']);
    const since = '2026-11-01T00:00:00Z';
    expect((await catalog.releasedSince('books/crime', since, 10)).map((p) => p.sku)).toEqual(['CRIME-1']);
    expect((await catalog.releasedSince('books/cooking', since, 10)).map((p) => p.sku)).toEqual(['COOK-1']);
    expect(await catalog.releasedSince('books', since, 10)).toEqual([
      aProduct('COOK-1', { category: 'books/cooking', publishedAt: '2026-11-03T09:00:00.000Z' }),
      aProduct('CRIME-1', { category: 'books/crime', publishedAt: '2026-11-02T09:00:00.000Z' }),
    ]);
  });

  it('moves the releases with the product when it changes genre, and removes them all with it', async () => {
    await catalog.put(aProduct('B-1', { category: 'books', publishedAt: '2026-11-01T09:00:00Z' }), undefined);
    await catalog.put(aProduct('B-1', { category: 'books/crime', publishedAt: '2026-11-01T09:00:00Z' }), 1);
    expect(await releaseKeys('books')).toEqual(['2026-11-01T09:00:00.000Z#B-1']);
    expect(await releaseKeys('books/crime')).toEqual(['2026-11-01T09:00:00.000Z#B-1']);

    await catalog.put(aProduct('B-1', { category: 'books/history', publishedAt: '2026-11-01T09:00:00Z' }), 2);
    expect(await releaseKeys('books/crime')).toEqual([]);
    expect(await releaseKeys('books/history')).toEqual(['2026-11-01T09:00:00.000Z#B-1']);
    expect((await catalog.releasedSince('books', at, 10))[0]).toMatchObject({ category: 'books/history' });

    await catalog.remove('B-1');
    expect(await releaseKeys('books')).toEqual([]);
    expect(await releaseKeys('books/history')).toEqual([]);
  });

  it('still reads, changes and removes a product stored under a category that is not a path', async () => {
    const legacy = aProduct('OLD-1', { category: 'books/', publishedAt: '2026-11-01T09:00:00.000Z' });
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.product('OLD-1'), type: 'product', ...legacy, version: 1 },
      }),
    );
    expect(await catalog.get('OLD-1')).toEqual({ product: legacy, version: 1 });
    await catalog.put(aProduct('OLD-1', { category: 'books', publishedAt: '2026-11-01T09:00:00Z' }), 1);
    expect(await releaseKeys('books')).toEqual(['2026-11-01T09:00:00.000Z#OLD-1']);
    expect(await catalog.remove('OLD-1')).toMatchObject({ category: 'books' });
  });
});
