import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CounterIncrement, type CountMark, mergeIncrements } from '../../domain/counter-increment.js';
import type { ItemType } from './items.js';
import { keys, ttlAttribute } from './keys.js';
import { maxTransactionItems } from './transaction-limits.js';
import type { TransactItem } from './transactions.js';

/**
 * How many shards a counter written inside transactions is spread over. A
 * transaction locks its items until it commits, and a second one touching a
 * locked item is cancelled (TransactionConflict): the `email` scope's `send` and
 * `delivery`, or a campaign's `sent`, are touched by every message at the account's
 * send rate. Eight shards cut those collisions eightfold; a day's read, one query of
 * the partition, reads at most nine small items a metric instead of one.
 */
export const counterShards = 8;

/** The shard a transaction's counters go to, from the source it counts: 1 to `counterShards`. */
export const counterShardOf = (source: string): number =>
  1 + (createHash('sha256').update(source).digest().readUInt32BE(0) % counterShards);

/** ADD creates the counter at zero, so no read is needed and concurrent increments all count. */
export const counterUpdateInput = (tableName: string, increment: CounterIncrement, shard: number) => ({
  TableName: tableName,
  Key: keys.stat(increment.scope, increment.day, increment.metric, shard),
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
    ':by': increment.by,
    ':type': 'stat' satisfies ItemType,
    ':scope': increment.scope,
    ':day': increment.day,
    ':metric': increment.metric,
  },
});

/** The counters as items of a transaction, on the shard chosen for it. */
export const counterUpdates = (
  tableName: string,
  increments: readonly CounterIncrement[],
  shard: number,
): TransactItem[] =>
  increments.map((increment) => ({ Update: counterUpdateInput(tableName, increment, shard) }));

/** The mark that a source was counted, kept past the time it can be delivered again. */
export const countMarkItem = (mark: CountMark) => ({
  ...keys.countMark(mark.id),
  type: 'dedupe' satisfies ItemType,
  [ttlAttribute]: mark.expiresAt,
});

const Counter = z.object({ metric: z.string().min(1), count: z.number() });

/** A day's counter items, every shard of a counter added up by the metric each names. */
export const sumCounters = (items: readonly unknown[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const item of items) {
    const { metric, count } = Counter.parse(item);
    totals[metric] = (totals[metric] ?? 0) + count;
  }
  return totals;
};

/**
 * The counters that fit in a transaction beside the `taken` items it already holds,
 * and the rest, which are added after it commits: only a journey step near
 * DynamoDB's 100 items has any, and a crash between the two loses those.
 */
export const fitCounters = (
  taken: number,
  increments: readonly CounterIncrement[],
): { within: CounterIncrement[]; after: CounterIncrement[] } => {
  const merged = mergeIncrements(increments);
  const room = Math.max(0, maxTransactionItems - taken);
  return { within: merged.slice(0, room), after: merged.slice(room) };
};
