import type { JobCursor } from '../../domain/journey-job.js';
import type { Page } from '../../ports/page.js';
import { listIndex } from '../dynamodb/keys.js';
import type { Item, MemoryTable } from './memory-table.js';

/**
 * One page of a sharded list in the index, as the DynamoDB adapters read it
 * (lib/adapters/dynamodb/list-index.ts): up to `limit` keys from the cursor's
 * shard, the items behind them read by key, then the cursor to go on from (the
 * same shard after the last key when the limit was reached, else the next shard;
 * undefined after the last).
 */
export const readListPage = (
  table: MemoryTable,
  partitionOf: (shard: number) => string,
  cursor: JobCursor,
  limit: number,
): Page<Item> => {
  const page = table.queryIndex(partitionOf(cursor.shard), limit, cursor.after);
  // An item may have left the index between the two reads (an enrollment that just ended).
  const items = page.entries.flatMap((entry) => {
    const item = table.get(entry);
    return item === undefined ? [] : [item];
  });
  const next: JobCursor | undefined =
    page.lastKey !== undefined
      ? { shard: cursor.shard, after: page.lastKey }
      : cursor.shard + 1 < listIndex.shards
        ? { shard: cursor.shard + 1 }
        : undefined;
  return { items, next };
};
