import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem's most keys a request. */
export const batchGetLimit = 100;
const maxUnprocessedRounds = 10;

export interface ItemKey {
  PK: string;
  SK: string;
}

/** How batchGetItems names an item by its key. */
export const itemKeyText = (key: ItemKey): string => `${key.PK}\u0000${key.SK}`;

export interface BatchGetOptions {
  /**
   * Strongly consistent reads (the default) cost a unit per 4 KB, eventually consistent
   * ones half that, for callers a moment's staleness cannot mislead.
   */
  consistent?: boolean;
}

/**
 * The items at `keys`, 100 keys a request, keys the table left unprocessed asked
 * again; each found item by its key's `itemKeyText`, an absent one left out.
 */
export const batchGetItems = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
  options: BatchGetOptions = {},
): Promise<Map<string, Record<string, unknown>>> => {
  const unique = [...new Map(keys.map((key) => [itemKeyText(key), { PK: key.PK, SK: key.SK }])).values()];
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < unique.length; start += batchGetLimit) {
    let pending: Array<Record<string, unknown>> = unique.slice(start, start + batchGetLimit);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= maxUnprocessedRounds) throw new Error('the table kept returning unprocessed keys');
      const result = await documentClient.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistent ?? true } },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? [])
        found.set(itemKeyText({ PK: String(item.PK), SK: String(item.SK) }), item);
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
};
