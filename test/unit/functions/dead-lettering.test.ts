import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FirstRecordFailedError, streamHandler } from '../../../functions/middleware/stream-chain.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { UndecodableRecordError } from '../../../lib/adapters/dynamodb/stream-records.js';
import {
  ConcurrentUpdateError,
  JourneyVersionMissingError,
  TemplateMissingError,
  type UnprocessableRecordError,
} from '../../../lib/domain/errors.js';

/** A record of contact `key`'s partition; its sequence number is its place in the shard. */
const record = (place: number, key: string): DynamoDBRecord => {
  const sequence = String(100 + place).padStart(21, '0');
  return {
    eventID: sequence,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: sequence, Keys: { PK: { S: `C#${key}` }, SK: { S: `MSG#${place}` } } },
  };
};
const placeOf = (r: DynamoDBRecord) => Number(r.dynamodb?.SequenceNumber) - 100;
const context = lambdaContext(
  { functionName: 'dead-lettering-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

/** A chain whose use case fails the records named in `failures` with their error, and keeps what it dead-letters. */
const chainFailing = (
  failures: Record<number, () => Error>,
  options: { keep?: 'works' | 'fails'; partitionKeysAtOnce?: number } = {},
) => {
  const handled: number[] = [];
  const kept: Array<{ place: number; error: UnprocessableRecordError }> = [];
  const handler = streamHandler(
    async (r) => {
      const fail = failures[placeOf(r)];
      if (fail !== undefined) throw fail();
      handled.push(placeOf(r));
    },
    {
      ...(options.partitionKeysAtOnce === undefined
        ? {}
        : { partitionKeysAtOnce: options.partitionKeysAtOnce }),
      deadLetter: async (r, error) => {
        if (options.keep === 'fails') throw new Error('the table is throttling');
        kept.push({ place: placeOf(r), error });
      },
    },
  );
  return { handler, handled, kept };
};

describe('the stream chain', () => {
  describe('when a record can never succeed', () => {
    it.each([
      ['cannot be read', () => new UndecodableRecordError('record 1 is no contact event')],
      ['names a template that is gone', () => new TemplateMissingError('template "retired" has no version')],
      ['runs on a journey version that is gone', () => new JourneyVersionMissingError('welcome version 9')],
    ])(
      'keeps it as a dead letter with its error, when it %s, and reports the batch done',
      async (_, error) => {
        const { handler, handled, kept } = chainFailing({ 2: error });

        const response = await handler(
          { Records: [record(1, 'a'), record(2, 'b'), record(3, 'c')] },
          context,
        );

        expect(response).toEqual({ batchItemFailures: [] });
        expect(kept).toEqual([{ place: 2, error: error() }]);
        expect(handled).toEqual([1, 3]);
      },
    );

    it('goes on with the records behind it, its own contact’s too, when it heads the batch', async () => {
      const { handler, handled } = chainFailing(
        { 1: () => new TemplateMissingError('gone') },
        { partitionKeysAtOnce: 4 },
      );

      const response = await handler({ Records: [record(1, 'a'), record(2, 'a'), record(3, 'b')] }, context);

      expect(response).toEqual({ batchItemFailures: [] });
      expect(handled.sort()).toEqual([2, 3]);
    });

    it('fails it as any failure when the dead letter cannot be kept, so the mapping keeps it', async () => {
      const { handler, handled } = chainFailing(
        { 2: () => new TemplateMissingError('gone') },
        { keep: 'fails' },
      );

      const response = await handler({ Records: [record(1, 'a'), record(2, 'a'), record(3, 'a')] }, context);

      expect(response).toEqual({
        batchItemFailures: [
          { itemIdentifier: record(2, 'a').eventID },
          { itemIdentifier: record(3, 'a').eventID },
        ],
      });
      expect(handled).toEqual([1]);
    });
  });

  describe('when a record fails in a way a retry can fix', () => {
    it('keeps no dead letter and reports it failed, for the mapping to retry', async () => {
      const { handler, kept } = chainFailing({ 1: () => new ConcurrentUpdateError('the profile moved on') });

      await expect(handler({ Records: [record(1, 'a'), record(2, 'b')] }, context)).rejects.toThrow(
        FirstRecordFailedError,
      );
      expect(kept).toEqual([]);
    });
  });

  describe('when a chain keeps no dead letters', () => {
    it('fails a record that can never succeed like any other', async () => {
      const handler = streamHandler(async () => {
        throw new TemplateMissingError('gone');
      });

      await expect(handler({ Records: [record(1, 'a')] }, context)).rejects.toThrow(FirstRecordFailedError);
    });
  });

  /** A batch a redrive hands over: one record, marked with the dead letter it comes from. */
  const redriveOf = (place: number) => {
    const batch = { Records: [record(place, 'a')], redriveOf: '01JDEADLETTER0000000000000' };
    return batch;
  };

  describe('when the batch is a redrive of a dead letter', () => {
    it('fails the invocation with the record’s own error and keeps no second dead letter', async () => {
      const { handler, kept } = chainFailing({
        1: () => new TemplateMissingError('template "retired" is still gone'),
      });

      await expect(handler(redriveOf(1), context)).rejects.toThrow(
        new TemplateMissingError('template "retired" is still gone'),
      );
      expect(kept).toEqual([]);
    });

    it('succeeds as any batch once the cause is fixed', async () => {
      const { handler, handled } = chainFailing({});

      expect(await handler(redriveOf(1), context)).toEqual({ batchItemFailures: [] });
      expect(handled).toEqual([1]);
    });
  });
});
