import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { aProduct } from '../../contracts/catalog-store.contract.js';
import { createTestTable } from '../support/table.js';

/**
 * What is particular to DynamoDB: batches of 100 keys, the item keys of the
 * category releases, and items stored before categories were paths. The
 * behaviour every catalog shares is in test/contracts/catalog-store.contract.ts.
 */
let catalog: DynamoCatalogStore;
let table: { documentClient: DynamoDBDocumentClient; tableName: string };

beforeEach(async () => {
  table = await createTestTable();
  catalog = new DynamoCatalogStore(table.documentClient, table.tableName);
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
  it('reads many products at once for an order beyond one batch of 100', async () => {
    const skus = Array.from({ length: 130 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);
    for (const sku of skus) await catalog.put(aProduct(sku), undefined);
    const found = await catalog.getMany([...skus, 'UNKNOWN-1', 'SKU-001']);
    expect(found.size).toBe(130);
    expect(found.get('SKU-129')).toEqual(aProduct('SKU-129'));
  });

  it('files a release under `CAT#<level>` for each level of the path, keyed by launch time and sku', async () => {
    await catalog.put(aProduct('CRIME-1', { category: 'books/crime' }), undefined);
    await catalog.publish('CRIME-1', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00.000Z');

    expect(await releaseKeys('books')).toEqual(['2026-11-02T09:00:00.000Z#CRIME-1']);
    expect(await releaseKeys('books/crime')).toEqual(['2026-11-02T09:00:00.000Z#CRIME-1']);

    await catalog.put(
      aProduct('CRIME-1', { category: 'books/history', publishedAt: '2026-11-02T09:00:00Z' }),
      2,
    );
    expect(await releaseKeys('books/crime')).toEqual([]);
    expect(await releaseKeys('books/history')).toEqual(['2026-11-02T09:00:00.000Z#CRIME-1']);
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
