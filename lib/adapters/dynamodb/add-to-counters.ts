import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterIncrement } from '../../domain/counter-increment.js';
import { counterUpdateInput } from './counter-items.js';

/**
 * Plain ADDs outside any transaction, on shard 0, one UpdateItem each: for counters
 * that nothing else is written with. Not idempotent: a crash between two loses the
 * rest, and an ADD the SDK sends again after losing its answer counts twice.
 */
export const addToCounters = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  increments: readonly CounterIncrement[],
): Promise<void> => {
  for (const increment of increments)
    await documentClient.send(new UpdateCommand(counterUpdateInput(tableName, increment, 0)));
};
