import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoJourneyJobStore } from '../../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { jobKeys } from '../../../lib/adapters/dynamodb/keys.js';
import { createTestTable } from '../support/table.js';

/** Items the DynamoDB job store meets that an older release wrote; the behaviour of every job store is in test/contracts. */
describe('jobs stored before products had jobs', () => {
  it('are read with their journey as their subject', async () => {
    const table = await createTestTable();
    const jobs = new DynamoJourneyJobStore(table.documentClient, table.tableName);
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...jobKeys.job('welcome', '01JOLDJOB00000000000000000'),
          type: 'journey-job',
          id: '01JOLDJOB00000000000000000',
          journeyId: 'welcome',
          work: { kind: 'archive' },
          status: 'pending',
          cursor: { shard: 0 },
          counts: { seen: 0, changed: 0, unchanged: 0 },
          createdAt: '2026-10-01T00:00:00.000Z',
          updatedAt: '2026-10-01T00:00:00.000Z',
          revision: 1,
        },
      }),
    );
    expect(await jobs.listForSubject('welcome')).toEqual([
      expect.objectContaining({ subject: 'welcome', work: { kind: 'archive' } }),
    ]);
  });
});
