import { type CounterIncrement, type CountMark, mergeIncrements } from '../../domain/counter-increment.js';
import type { StatsStore } from '../../ports/stats-store.js';
import { counterShardOf, sumCounters } from '../dynamodb/counter-items.js';
import { keys } from '../dynamodb/keys.js';
import { maxTransactionItems, TransactionTooLargeError } from '../dynamodb/transaction-limits.js';
import { addToCounters, counterWrites, countMarkWrite } from './memory-counters.js';
import type { MemoryTable } from './memory-table.js';

/** Daily counters on the memory table (`STAT#<scope>#<day>` / metric), added to as DynamoDB's ADD does. */
export class MemoryStatsStore implements StatsStore {
  constructor(private readonly table: MemoryTable) {}

  async increment(scope: string, day: string, metric: string, by = 1): Promise<void> {
    addToCounters(this.table, [{ scope, day, metric, by }]);
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
    const cancellation = this.table.transact([
      countMarkWrite(mark),
      ...counterWrites(counters, counterShardOf(mark.id)),
    ]);
    return cancellation === undefined ? 'counted' : 'duplicate';
  }

  async read(scope: string, day: string): Promise<Record<string, number>> {
    return sumCounters(this.table.queryAll(keys.statPartition(scope, day)));
  }
}
