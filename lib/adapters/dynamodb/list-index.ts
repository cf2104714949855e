import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { JobCursor } from '../../domain/journey-job.js';
import type { Page } from '../../ports/page.js';
import { batchGetItems, itemKeyText } from './batch-get.js';
import { listIndex } from './keys.js';

const stringKey = (key: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(key).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );

/** The full items behind index keys (the index is keys-only), read consistently and in the order given. */
const itemsFor = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<{ PK: string; SK: string }>,
): Promise<Record<string, unknown>[]> => {
  const found = await batchGetItems(documentClient, tableName, keys);
  // An item may have left the index between the two reads (an enrollment that just ended).
  return keys.flatMap((key) => {
    const item = found.get(itemKeyText(key));
    return item === undefined ? [] : [item];
  });
};

/**
 * One page of a sharded list in the index: up to `limit` items from the
 * cursor's shard, then the cursor to go on from (the next shard once this one
 * is read to its end; undefined after the last).
 */
export const readListPage = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  partitionOf: (shard: number) => string,
  cursor: JobCursor,
  limit: number,
): Promise<Page<Record<string, unknown>>> => {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: listIndex.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': listIndex.partitionKey },
      ExpressionAttributeValues: { ':pk': partitionOf(cursor.shard) },
      Limit: limit,
      ...(cursor.after === undefined ? {} : { ExclusiveStartKey: cursor.after }),
    }),
  );
  const keys = (page.Items ?? []).flatMap((item) =>
    typeof item.PK === 'string' && typeof item.SK === 'string' ? [{ PK: item.PK, SK: item.SK }] : [],
  );
  const items = await itemsFor(documentClient, tableName, keys);
  const next: JobCursor | undefined =
    page.LastEvaluatedKey !== undefined
      ? { shard: cursor.shard, after: stringKey(page.LastEvaluatedKey) }
      : cursor.shard + 1 < listIndex.shards
        ? { shard: cursor.shard + 1 }
        : undefined;
  return { items, next };
};
