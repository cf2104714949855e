import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's ceiling for one BatchWriteItem call. */
export const maxBatchWriteItems = 25;

/** One BatchWriteItem call; a function so the retry loop can be tested without a table. */
export type BatchWriter = (
  input: BatchWriteCommandInput,
) => Promise<Pick<BatchWriteCommandOutput, 'UnprocessedItems'>>;

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface BatchWriteOptions {
  /** Calls per chunk before giving up. Default 8. */
  maxAttempts?: number;
  /** The first back-off; it doubles on every retry, with jitter. Default 50 ms. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the writes, 25 per call. BatchWriteItem may accept a call and still
 * hand back part of it unprocessed (throttling, a busy partition): those are sent
 * again with exponential back-off until none are left, or the attempts run out.
 */
const batchWrite = async (
  write: BatchWriter,
  tableName: string,
  requests: readonly WriteRequest[],
  what: string,
  options: BatchWriteOptions,
): Promise<void> => {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const sleep = options.sleep ?? pause;
  for (let start = 0; start < requests.length; start += maxBatchWriteItems) {
    let pending = requests.slice(start, start + maxBatchWriteItems);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) {
        throw new UnprocessedItemsError(
          `${pending.length} ${what} were still unprocessed after ${maxAttempts} attempts`,
        );
      }
      if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2) * (1 + Math.random()));
      const { UnprocessedItems } = await write({ RequestItems: { [tableName]: pending } });
      pending = UnprocessedItems?.[tableName] ?? [];
    }
  }
};

/** Deletes the items, 25 per call; deleting an absent item succeeds, so a chunk sent twice does no harm. */
export const batchDelete = (
  write: BatchWriter,
  tableName: string,
  itemKeys: ReadonlyArray<Record<string, unknown>>,
  options: BatchWriteOptions = {},
): Promise<void> =>
  batchWrite(
    write,
    tableName,
    itemKeys.map((Key) => ({ DeleteRequest: { Key } })),
    'deletes',
    options,
  );

/** Puts the items, 25 per call, unconditionally: BatchWriteItem takes no condition. */
export const batchPut = (
  write: BatchWriter,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
  options: BatchWriteOptions = {},
): Promise<void> =>
  batchWrite(
    write,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
    'puts',
    options,
  );
