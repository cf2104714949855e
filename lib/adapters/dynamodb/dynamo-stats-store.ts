import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { StatsStore } from '../../ports/stats-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

const Counter = z.object({ metric: z.string().min(1), count: z.number() });

export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async increment(scope: string, day: string, metric: string, by = 1): Promise<void> {
    // ADD creates the counter at zero, so no read is needed and concurrent increments all count.
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.stat(scope, day, metric),
        UpdateExpression: 'ADD #count :by SET #type = :type, #scope = :scope, #day = :day, #metric = :metric',
        // Several of these names are DynamoDB reserved words.
        ExpressionAttributeNames: {
          '#count': 'count',
          '#type': 'type',
          '#scope': 'scope',
          '#day': 'day',
          '#metric': 'metric',
        },
        ExpressionAttributeValues: {
          ':by': by,
          ':type': 'stat' satisfies ItemType,
          ':scope': scope,
          ':day': day,
          ':metric': metric,
        },
      }),
    );
  }

  async read(scope: string, day: string): Promise<Record<string, number>> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.statPartition(scope, day) },
    });
    return Object.fromEntries(
      items.map((item) => Counter.parse(item)).map((counter) => [counter.metric, counter.count]),
    );
  }
}
