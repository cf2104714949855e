import { beforeAll, describe, expect, it } from 'vitest';
import { transactWrite } from '../../../lib/adapters/dynamodb/transactions.js';
import { UnstorableItemError } from '../../../lib/domain/errors.js';
import { createTestTable, type TestTable } from '../support/table.js';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});

const put = (item: Record<string, unknown>) =>
  transactWrite(table.documentClient, [
    { Put: { TableName: table.tableName, Item: { PK: 'X', SK: String(Math.random()), ...item } } },
  ]);

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { inner: nested(depth - 1) });

describe('when DynamoDB cannot hold what an item holds', () => {
  it.each([
    ['an integer past 2^53', { n: Number('12345678901234567') }],
    ['a total of 1e16', { n: 1e16 }],
    ['a number below its range', { n: 1e-200 }],
    ['a map nested deeper than 32 levels', { deep: nested(40) }],
    ['an item over 400 KB', { big: 'x'.repeat(410 * 1024) }],
  ])('names %s as unstorable', async (_name, item) => {
    await expect(put(item)).rejects.toBeInstanceOf(UnstorableItemError);
  });

  it('stores what it can hold', async () => {
    await expect(put({ n: 2 ** 53 - 1, small: 1e-100, deep: nested(20) })).resolves.toBeUndefined();
  });
});
