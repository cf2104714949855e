import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CounterIncrement, type CountMark, mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { StatsStore } from '../../ports/stats-store.js';
import { addToCounters } from './add-to-counters.js';
import { counterShardOf, counterUpdates, countMarkItem, sumCounters } from './counter-items.js';
import { putNew } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import {
  maxTransactionItems,
  TransactionTooLargeError,
  transactWriteThroughConflicts,
} from './transactions.js';

export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async increment(scope: string, day: string, metric: string, by = 1): Promise<void> {
    await addToCounters(this.documentClient, this.tableName, [{ scope, day, metric, by }]);
  }

  async countOnce(
    mark: CountMark,
    increments: readonly CounterIncrement[],
  ): Promise<'counted' | 'duplicate'> {
    const counters = mergeIncrements(increments);
    if (counters.length + 1 > maxTransactionItems)
      throw new TransactionTooLargeError(
        `a source counts at most ${maxTransactionItems - 1} counters at once; ${mark.id} has ${counters.length}`,
      );
    const cancellation = await transactWriteThroughConflicts(this.documentClient, [
      putNew(this.tableName, countMarkItem(mark)),
      ...counterUpdates(this.tableName, counters, counterShardOf(mark.id)),
    ]);
    if (cancellation === undefined) return 'counted';
    if (cancellation.failedConditions.includes(0)) return 'duplicate';
    throw new ConcurrentUpdateError(`counting ${mark.id} kept meeting other transactions on its counters`);
  }

  async read(scope: string, day: string): Promise<Record<string, number>> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.statPartition(scope, day) },
    });
    return sumCounters(items);
  }
}
