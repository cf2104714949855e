import type {
  BatchGetItemCommandOutput,
  GetItemCommandOutput,
  QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { isRecord } from '../../domain/is-record.js';

/** DynamoDB's longest keys, in UTF-8 bytes: a partition key (the table's or the index's) and a sort key. */
export const maxPartitionKeyBytes = 2048;
export const maxSortKeyBytes = 1024;

/** A key attribute's text, as the document client or the plain client carries it. */
const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.S === 'string' ? value.S : undefined;
};

const longerThan = (value: unknown, limit: number): boolean => {
  const text = textOf(value);
  return text !== undefined && Buffer.byteLength(text) > limit;
};

/** A key no item can have, since DynamoDB takes no key attribute that long. */
export const isImpossibleKey = (key: unknown): boolean =>
  isRecord(key) && (longerThan(key.PK, maxPartitionKeyBytes) || longerThan(key.SK, maxSortKeyBytes));

/** What to do instead of sending a read: answer it at once, or send it with only the keys that can exist. */
export type ImpossibleKeyRead =
  | { output: GetItemCommandOutput | QueryCommandOutput | BatchGetItemCommandOutput }
  | { requestItems: Record<string, unknown> }
  | undefined;

/**
 * Reads by a key no item can have find nothing, as the memory table finds nothing,
 * instead of failing with DynamoDB's ValidationException: an id, an address or a sku
 * from a request that is longer than any key is simply not there. GetItem answers no
 * item, BatchGetItem leaves such keys out, and a Query whose partition key (`:pk`, as
 * every query here names it) is too long answers an empty page. Undefined: send it.
 */
export const impossibleKeyRead = (commandName: string | undefined, input: unknown): ImpossibleKeyRead => {
  if (!isRecord(input)) return undefined;
  switch (commandName) {
    case 'GetItemCommand':
      return isImpossibleKey(input.Key) ? { output: { $metadata: {} } } : undefined;
    case 'QueryCommand': {
      const values = input.ExpressionAttributeValues;
      return isRecord(values) && longerThan(values[':pk'], maxPartitionKeyBytes)
        ? { output: { Items: [], Count: 0, ScannedCount: 0, $metadata: {} } }
        : undefined;
    }
    case 'BatchGetItemCommand': {
      const requests = input.RequestItems;
      if (!isRecord(requests)) return undefined;
      const entries = Object.entries(requests);
      const possible = entries.flatMap(([table, request]) => {
        if (!isRecord(request) || !Array.isArray(request.Keys)) return [[table, request]];
        const keys = request.Keys.filter((key) => !isImpossibleKey(key));
        return keys.length === 0 ? [] : [[table, { ...request, Keys: keys }]];
      });
      if (possible.length === 0) return { output: { Responses: {}, UnprocessedKeys: {}, $metadata: {} } };
      const unchanged = possible.every(([table, request]) => requests[String(table)] === request);
      return unchanged && possible.length === entries.length
        ? undefined
        : { requestItems: Object.fromEntries(possible) };
    }
    default:
      return undefined;
  }
};
