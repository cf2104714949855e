import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { Suppression } from '../../../lib/ports/suppression-store.js';
import { createTestTable, type TestTable } from '../support/table.js';

let table: TestTable;
let suppressions: DynamoSuppressionStore;

beforeAll(async () => {
  table = await createTestTable();
  suppressions = new DynamoSuppressionStore(table.documentClient, table.tableName);
});

describe('the DynamoDB suppression store', () => {
  it('does not suppress an address nobody reported', async () => {
    expect(await suppressions.isSuppressed('email', 'fine@example.com')).toBe(false);
  });

  describe('when an address is suppressed twice', () => {
    it('keeps it suppressed and keeps the first record', async () => {
      const bounce: Suppression = {
        channel: 'email',
        address: 'gone@example.com',
        reason: 'bounce',
        at: '2026-11-01T09:00:00.000Z',
        detail: 'mailbox does not exist',
      };
      await suppressions.suppress(bounce);

      await suppressions.suppress({ ...bounce, reason: 'complaint', at: '2026-11-02T09:00:00.000Z' });

      expect(await suppressions.isSuppressed('email', 'gone@example.com')).toBe(true);
      const { Item } = await table.documentClient.send(
        new GetCommand({ TableName: table.tableName, Key: keys.suppression('email', 'gone@example.com') }),
      );
      expect(Suppression.parse(Item)).toEqual(bounce);
    });
  });

  it('suppresses an email address whatever its case', async () => {
    await suppressions.suppress({
      channel: 'email',
      address: 'loud@example.com',
      reason: 'complaint',
      at: '2026-11-01T09:00:00.000Z',
    });

    expect(await suppressions.isSuppressed('email', 'LOUD@example.com')).toBe(true);
    expect(await suppressions.isSuppressed('sms', 'loud@example.com')).toBe(false);
  });
});
