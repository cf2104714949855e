import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { aProduct } from '../../contracts/catalog-store.contract.js';
import { createTestTable, type TestTable } from '../support/table.js';

/**
 * An id, an address or a sku from a request can be longer than DynamoDB takes as a key
 * (2,048 bytes for a partition key, 1,024 for a sort key). No item has such a key, so
 * the stores find nothing, as the memory stores do, rather than failing on DynamoDB's
 * ValidationException, which a handler would answer with a 500.
 */
let table: TestTable;
const long = 'x'.repeat(3_000);

beforeAll(async () => {
  table = await createTestTable();
});

describe('when a read names a key longer than any key can be', () => {
  it('finds no contact by such an id or address (GetItem)', async () => {
    const contacts = new DynamoContactStore(table.documentClient, table.tableName);

    expect(await contacts.get(long)).toBeUndefined();
    expect(await contacts.findIdByEmail(`${long}@example.com`)).toBeUndefined();
  });

  it('finds no template by such an id (Query)', async () => {
    const templates = new DynamoTemplateStore(table.documentClient, table.tableName);

    expect(await templates.latest(long)).toBeUndefined();
  });

  it('leaves such a sku out of a batch and still finds the others (BatchGetItem)', async () => {
    const catalog = new DynamoCatalogStore(table.documentClient, table.tableName);
    await catalog.put(aProduct('KNOWN-1'), undefined);

    expect([...(await catalog.getMany([long, 'KNOWN-1'])).keys()]).toEqual(['KNOWN-1']);
    expect((await catalog.getMany([long])).size).toBe(0);
  });
});
