import type { BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type BatchWriter,
  batchDelete,
  batchPut,
  UnprocessedItemsError,
} from '../../../lib/adapters/dynamodb/batch-write.js';

const table = 'rapport';
const keysOf = (count: number) => Array.from({ length: count }, (_, i) => ({ PK: 'C#1', SK: `EV#${i}` }));
const requestsOf = (input: BatchWriteCommandInput | undefined) => input?.RequestItems?.[table] ?? [];

/** A BatchWriteItem that hands back the first `unprocessed` requests of each of its first `times` calls. */
const throttled = (unprocessed: number, times: number) => {
  const calls: BatchWriteCommandInput[] = [];
  const write: BatchWriter = async (input) => {
    calls.push(input);
    const handBack = calls.length <= times ? requestsOf(input).slice(0, unprocessed) : [];
    const UnprocessedItems: Record<string, typeof handBack> =
      handBack.length === 0 ? {} : { [table]: handBack };
    return { UnprocessedItems };
  };
  return { calls, write };
};

describe('deleting items in batches', () => {
  it('sends at most 25 deletes per call', async () => {
    const { calls, write } = throttled(0, 0);

    await batchDelete(write, table, keysOf(60), { sleep: async () => {} });

    expect(calls.map((call) => requestsOf(call).length)).toEqual([25, 25, 10]);
    expect(calls.flatMap((call) => requestsOf(call).map((request) => request.DeleteRequest?.Key))).toEqual(
      keysOf(60),
    );
  });

  it('sends the unprocessed deletes again, backing off longer each time, until none are left', async () => {
    const { calls, write } = throttled(3, 2);
    const pauses: number[] = [];

    await batchDelete(write, table, keysOf(10), {
      baseDelayMs: 100,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });

    expect(calls.map((call) => requestsOf(call).length)).toEqual([10, 3, 3]);
    expect(requestsOf(calls[2])).toEqual(requestsOf(calls[0]).slice(0, 3));
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeGreaterThanOrEqual(100);
    expect(pauses[1]).toBeGreaterThanOrEqual(200);
  });

  it('gives up with UnprocessedItemsError when the attempts run out', async () => {
    const { calls, write } = throttled(2, Number.POSITIVE_INFINITY);

    await expect(
      batchDelete(write, table, keysOf(5), { maxAttempts: 4, sleep: async () => {} }),
    ).rejects.toBeInstanceOf(UnprocessedItemsError);
    expect(calls).toHaveLength(4);
  });
});

describe('putting items in batches', () => {
  it('sends at most 25 puts per call, each item whole', async () => {
    const { calls, write } = throttled(0, 0);
    const items = keysOf(30).map((key) => ({ ...key, type: 'event' }));

    await batchPut(write, table, items, { sleep: async () => {} });

    expect(calls.map((call) => requestsOf(call).length)).toEqual([25, 5]);
    expect(calls.flatMap((call) => requestsOf(call).map((request) => request.PutRequest?.Item))).toEqual(
      items,
    );
  });

  it('names the puts it could not write when the attempts run out', async () => {
    const { write } = throttled(1, Number.POSITIVE_INFINITY);

    await expect(
      batchPut(write, table, keysOf(2), { maxAttempts: 2, sleep: async () => {} }),
    ).rejects.toThrow('1 puts were still unprocessed after 2 attempts');
  });
});
