import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { createTestTable } from '../support/table.js';

let stats: DynamoStatsStore;

beforeAll(async () => {
  const { documentClient, tableName } = await createTestTable();
  stats = new DynamoStatsStore(documentClient, tableName);
});

describe('the DynamoDB stats store', () => {
  it('reads an empty day as no counters', async () => {
    expect(await stats.read('email', '2026-01-01')).toEqual({});
  });

  describe('when counters are incremented, some concurrently', () => {
    it('counts every increment per metric and keeps days and scopes apart', async () => {
      await Promise.all(Array.from({ length: 5 }, () => stats.increment('email', '2026-11-23', 'delivery')));
      await stats.increment('email', '2026-11-23', 'bounce', 2);
      await stats.increment('email', '2026-11-24', 'delivery');
      await stats.increment('welcome', '2026-11-23', 'delivery');

      expect(await stats.read('email', '2026-11-23')).toEqual({ delivery: 5, bounce: 2 });
      expect(await stats.read('email', '2026-11-24')).toEqual({ delivery: 1 });
    });
  });
});
