import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirstRecordFailedError, streamHandler } from '../../../functions/middleware/stream-chain.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';

const record = (sequence: string): DynamoDBRecord => ({
  eventID: sequence,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: sequence, Keys: { PK: { S: 'C#1' }, SK: { S: `EV#${sequence}` } } },
});
const context = lambdaContext(
  { functionName: 'stream-chain-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

describe('the stream handler chain', () => {
  describe('when a record in the middle of a batch fails', () => {
    it('reports it and every later record failed, and runs none of the later ones', async () => {
      const attempted: string[] = [];
      const handler = streamHandler(async (r) => {
        const sequence = r.dynamodb?.SequenceNumber ?? '';
        attempted.push(sequence);
        if (sequence === '200') throw new Error('throttled');
      });
      const response = await handler({ Records: ['100', '200', '300', '400'].map(record) }, context);
      expect(attempted).toEqual(['100', '200']);
      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '300' }, { itemIdentifier: '400' }],
      });
    });
  });

  it('reports nothing when every record succeeds', async () => {
    const handler = streamHandler(async () => undefined);
    expect(await handler({ Records: ['1', '2'].map(record) }, context)).toEqual({ batchItemFailures: [] });
  });

  it('throws when the first record fails, so the mapping bisects the batch', async () => {
    const handler = streamHandler(async () => {
      throw new Error('poison');
    });
    await expect(handler({ Records: ['1', '2'].map(record) }, context)).rejects.toThrow();
  });
});

/** A record of a contact's partition (`C#<key>`), or of none; its sequence number is its place in the shard. */
const keyed = (place: number, key: string | undefined): DynamoDBRecord => {
  const sequence = String(100 + place).padStart(21, '0');
  return {
    eventID: sequence,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      ...(key === undefined ? {} : { Keys: { PK: { S: `C#${key}` }, SK: { S: `EV#${sequence}` } } }),
    },
  };
};
const keyOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.PK?.S;
const placeOf = (record: DynamoDBRecord) => Number(record.dynamodb?.SequenceNumber) - 100;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the stream handler chain, with partition keys at once', () => {
  it('runs no more keys at once than it is given, and never two records of one key', async () => {
    let running = 0;
    let most = 0;
    let overlaps = 0;
    const runningKeys = new Set<string | undefined>();
    const handler = streamHandler(
      async (r) => {
        if (runningKeys.has(keyOf(r))) overlaps += 1;
        runningKeys.add(keyOf(r));
        running += 1;
        most = Math.max(most, running);
        await pause(2);
        running -= 1;
        runningKeys.delete(keyOf(r));
      },
      { partitionKeysAtOnce: 3 },
    );
    const records = Array.from({ length: 24 }, (_, place) => keyed(place, `c${place % 6}`));

    expect(await handler({ Records: records }, context)).toEqual({ batchItemFailures: [] });
    expect(most).toBe(3);
    expect(overlaps).toBe(0);
  });

  it('keeps records without a partition key in their order among themselves', async () => {
    const handled: number[] = [];
    const handler = streamHandler(
      async (r) => {
        // Later records finish sooner: only waiting for the one before keeps them in order.
        await pause(10 - placeOf(r));
        handled.push(placeOf(r));
      },
      { partitionKeysAtOnce: 4 },
    );

    await handler({ Records: [0, 1, 2, 3].map((place) => keyed(place, undefined)) }, context);

    expect(handled).toEqual([0, 1, 2, 3]);
  });

  it('reports, whatever the batch, exactly the records from the first failure in stream order on', async () => {
    const batch = fc.array(
      fc.record({
        key: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
        fails: fc.boolean(),
        delay: fc.nat(3),
      }),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(batch, fc.integer({ min: 1, max: 4 }), async (plan, keysAtOnce) => {
        const records = plan.map(({ key }, place) => keyed(place, key));
        const attempted: number[] = [];
        const running = new Set<string | undefined>();
        let overlaps = 0;
        let most = 0;
        const handler = streamHandler(
          async (r) => {
            const step = plan[placeOf(r)];
            if (running.has(keyOf(r))) overlaps += 1;
            running.add(keyOf(r));
            most = Math.max(most, running.size);
            attempted.push(placeOf(r));
            await pause(step?.delay ?? 0);
            running.delete(keyOf(r));
            if (step?.fails === true) throw new Error('throttled');
          },
          { partitionKeysAtOnce: keysAtOnce },
        );
        const answer = await handler({ Records: records }, context).then(
          (response) => ({ response }),
          (error: unknown) => ({ error }),
        );

        expect(overlaps).toBe(0);
        expect(most).toBeLessThanOrEqual(keysAtOnce);
        // Each key's records were tried in order, up to and including its first failure, and no further.
        for (const key of new Set(plan.map((step) => step.key))) {
          const places = plan.flatMap((step, place) => (step.key === key ? [place] : []));
          const firstFailure = places.findIndex((place) => plan[place]?.fails === true);
          const expected = firstFailure === -1 ? places : places.slice(0, firstFailure + 1);
          expect(attempted.filter((place) => plan[place]?.key === key)).toEqual(expected);
        }
        const checkpoint = plan.findIndex((step) => step.fails);
        if (checkpoint === -1) expect(answer).toEqual({ response: { batchItemFailures: [] } });
        else if (checkpoint === 0)
          expect(answer).toMatchObject({ error: expect.any(FirstRecordFailedError) });
        else {
          expect(answer).toEqual({
            response: {
              batchItemFailures: records
                .slice(checkpoint)
                .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber })),
            },
          });
          // Lambda resumes from the lowest number reported: everything before it succeeded, nothing is skipped.
          const resumeAt = Math.min(
            ...('response' in answer ? (answer.response?.batchItemFailures ?? []) : []).map((failure) =>
              Number(failure.itemIdentifier),
            ),
          );
          for (const [place, step] of plan.entries()) {
            const succeeded = attempted.includes(place) && !step.fails;
            if (!succeeded)
              expect(Number(records[place]?.dynamodb?.SequenceNumber)).toBeGreaterThanOrEqual(resumeAt);
            if (place < checkpoint) expect(succeeded).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
