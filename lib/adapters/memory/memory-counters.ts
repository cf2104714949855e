import type { CounterIncrement, CountMark } from '../../domain/counter-increment.js';
import { countMarkItem } from '../dynamodb/counter-items.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { itemAbsent, type MemoryTable, type TableWrite, type UpdateWrite } from './memory-table.js';

/** The DynamoDB adapters' counter updates on the memory table: the same items, added to as ADD does. */
export const counterWrite = (increment: CounterIncrement, shard: number): UpdateWrite => ({
  update: keys.stat(increment.scope, increment.day, increment.metric, shard),
  apply: (current) => ({
    ...current,
    count: (typeof current?.count === 'number' ? current.count : 0) + increment.by,
    type: 'stat' satisfies ItemType,
    scope: increment.scope,
    day: increment.day,
    metric: increment.metric,
  }),
});

export const counterWrites = (increments: readonly CounterIncrement[], shard: number): TableWrite[] =>
  increments.map((increment) => counterWrite(increment, shard));

/** Plain ADDs on shard 0, one write each, as DynamoDB's adapters make them outside a transaction. */
export const addToCounters = (table: MemoryTable, increments: readonly CounterIncrement[]): void => {
  for (const increment of increments) table.write(counterWrite(increment, 0));
};

export const countMarkWrite = (mark: CountMark): TableWrite => ({
  put: countMarkItem(mark),
  condition: itemAbsent,
});
