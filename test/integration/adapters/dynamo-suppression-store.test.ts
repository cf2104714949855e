import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addressHash,
  DynamoSuppressionStore,
} from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
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

  describe('when an address is erased', () => {
    const stored = async (key: Record<string, string>) =>
      (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;

    it('keeps it suppressed by its hash, and the record in the clear goes', async () => {
      await suppressions.suppress({
        channel: 'email',
        address: 'erased@example.com',
        reason: 'complaint',
        at: '2026-11-01T09:00:00.000Z',
      });

      const replaced = await suppressions.suppressForErasure(
        'email',
        'Erased@Example.com',
        new Date('2026-11-20T09:00:00.000Z'),
      );

      expect(replaced).toBe(true);
      expect(await stored(keys.suppression('email', 'erased@example.com'))).toBeUndefined();
      const hashed = await stored(
        keys.hashedSuppression('email', addressHash('email', 'erased@example.com')),
      );
      expect(hashed).toBeDefined();
      expect(JSON.stringify(hashed)).not.toContain('erased@example.com');
      expect(await suppressions.isSuppressed('email', 'erased@example.com')).toBe(true);
      expect(await suppressions.find('email', 'erased@example.com')).toEqual({
        reason: 'erasure',
        at: '2026-11-20T09:00:00.000Z',
      });
    });

    it('suppresses an address that was never suppressed, and keeps the first erasure on record', async () => {
      const at = new Date('2026-11-20T09:00:00.000Z');
      expect(await suppressions.suppressForErasure('sms', '+14255550100', at)).toBe(false);
      expect(
        await suppressions.suppressForErasure('sms', '+14255550100', new Date('2026-12-01T00:00:00.000Z')),
      ).toBe(false);

      expect(await suppressions.find('sms', '+14255550100')).toEqual({
        reason: 'erasure',
        at: at.toISOString(),
      });
      expect(await suppressions.isSuppressed('email', '+14255550100')).toBe(false);
    });

    it('does not write the address down in the clear when it bounces or says STOP later', async () => {
      await suppressions.suppressForErasure('sms', '+14255550101', new Date('2026-11-20T09:00:00.000Z'));

      await suppressions.suppress({
        channel: 'sms',
        address: '+14255550101',
        reason: 'opt-out',
        at: '2026-11-21T09:00:00.000Z',
      });

      expect(await stored(keys.suppression('sms', '+14255550101'))).toBeUndefined();
      expect(await suppressions.isSuppressed('sms', '+14255550101')).toBe(true);
    });
  });

  it('finds the reason an address is suppressed for', async () => {
    await suppressions.suppress({
      channel: 'email',
      address: 'why@example.com',
      reason: 'bounce',
      at: '2026-11-01T09:00:00.000Z',
      detail: 'mailbox full for good',
    });

    expect(await suppressions.find('email', 'why@example.com')).toEqual({
      reason: 'bounce',
      at: '2026-11-01T09:00:00.000Z',
      detail: 'mailbox full for good',
    });
    expect(await suppressions.find('email', 'nobody@example.com')).toBeUndefined();
  });
});
