import { z } from 'zod';
import type { StatsStore } from '../../ports/stats-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

const Counter = z.object({ metric: z.string().min(1), count: z.number() });

/** Daily counters on the memory table (`STAT#<scope>#<day>` / metric), added to as DynamoDB's ADD does. */
export class MemoryStatsStore implements StatsStore {
  constructor(private readonly table: MemoryTable) {}

  async increment(scope: string, day: string, metric: string, by = 1): Promise<void> {
    await this.table.write({
      update: keys.stat(scope, day, metric),
      apply: (current) => ({
        ...current,
        count: (typeof current?.count === 'number' ? current.count : 0) + by,
        type: 'stat' satisfies ItemType,
        scope,
        day,
        metric,
      }),
    });
  }

  async read(scope: string, day: string): Promise<Record<string, number>> {
    const items = await this.table.queryAll(keys.statPartition(scope, day));
    return Object.fromEntries(
      items.map((item) => Counter.parse(item)).map((counter) => [counter.metric, counter.count]),
    );
  }
}
