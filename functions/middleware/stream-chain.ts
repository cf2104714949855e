import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { inOrderPerKey } from '../../lib/app/in-order-per-key.js';
import { deadLetteredMetric } from '../../lib/config/metric-names.js';
import { UnprocessableRecordError } from '../../lib/domain/errors.js';
import { isRecord } from '../../lib/domain/is-record.js';
import { logger, metrics, observability } from './observability.js';

export type RecordUseCase = (record: DynamoDBRecord) => Promise<void>;

export interface StreamHandlerOptions {
  /**
   * Records of different partition keys (in the table, different contacts) run
   * at once, up to this many keys; one key's records still run one at a time, in
   * stream order. Without it the whole batch runs one record at a time.
   */
  partitionKeysAtOnce?: number;
  /**
   * Keeps a record that can never succeed (UnprocessableRecordError) in the dead
   * letters with its reason; the record then counts as done, so neither it nor the
   * records behind it wait out the mapping's retries. Without it, such a record
   * fails like any other.
   */
  deadLetter?: (record: DynamoDBRecord, error: UnprocessableRecordError) => Promise<void>;
}

/**
 * A redrive (lib/app/dead-letters.ts) hands a dead letter's record back marked
 * with its id: a failure then fails the invocation with the record's own error,
 * for the redrive to report, rather than writing a second dead letter.
 */
const isRedrive = (event: unknown): boolean => isRecord(event) && typeof event.redriveOf === 'string';

/** The first record of a batch failed: the invocation fails, so the mapping retries the batch and bisects it. */
export class FirstRecordFailedError extends Error {
  override readonly name = 'FirstRecordFailedError';
}

type Outcome =
  | { kind: 'succeeded' }
  | { kind: 'dead-lettered' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not-attempted' };

const oneKey = Symbol('the whole batch');

/**
 * The chain for table-stream consumers. Records of one partition key run one at
 * a time, in stream order, and the first of them to fail stops that key: its
 * later records are not attempted (an exit rule must not lose to the timer
 * behind it). Other keys go on, one key's records never depending on another's.
 * A record that can never succeed (UnprocessableRecordError: it cannot be read,
 * its template or journey version is gone) is kept in the dead letters with its
 * reason and counts as done, as it would be after the retries, only at once.
 *
 * The report follows from the mapping's checkpoint. Lambda keeps a stream
 * shard's place, not a set of records: it resumes from the lowest sequence
 * number in batchItemFailures and hands over every record from there again. So
 * what must be right is the batch's first record, in stream order, that did not
 * succeed: everything before it did (each of those was attempted, since its key
 * had no failure before it, and did not fail, or it would be first), and it is
 * always a failure (a record not attempted comes after its key's failure). The
 * report names that record and every record after it, successes of other keys
 * included: exactly what the mapping will hand over again, and those successes
 * are safe to redo, as every stream handler is under redelivery. When that is
 * the batch's first record, the invocation fails instead, so the mapping bisects
 * the batch and a poison record at its head is isolated rather than retried
 * with the records behind it until they are too old.
 */
export const streamHandler = (useCase: RecordUseCase, options: StreamHandlerOptions = {}) =>
  middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(observability())
    .handler(async (event) => {
      const records = event.Records;
      const redrive = isRedrive(event);
      const perKey = options.partitionKeysAtOnce;
      // Records with no partition key (none come from the table) keep their order among themselves.
      const keyOf = (record: DynamoDBRecord) =>
        perKey === undefined ? oneKey : record.dynamodb?.Keys?.PK?.S;
      const failedKeys = new Set<unknown>();
      // Waits for every key: nothing of this batch may still run once the mapping has the answer.
      const outcomes = await inOrderPerKey(
        records,
        keyOf,
        perKey ?? 1,
        async (record, key): Promise<Outcome> => {
          if (failedKeys.has(key)) return { kind: 'not-attempted' };
          const sequenceNumber = record.dynamodb?.SequenceNumber;
          let failure: unknown;
          try {
            await useCase(record);
            metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
            return { kind: 'succeeded' };
          } catch (error) {
            failure = error;
          }
          if (failure instanceof UnprocessableRecordError && options.deadLetter !== undefined && !redrive) {
            try {
              await options.deadLetter(record, failure);
              metrics.addMetric(deadLetteredMetric, MetricUnit.Count, 1);
              logger.warn('record dead-lettered: it cannot succeed until its cause is fixed', {
                sequenceNumber,
                error: failure,
              });
              return { kind: 'dead-lettered' };
            } catch (storeError) {
              // Not kept: the record fails like any other, and the mapping's own dead-letter queue is the net.
              failure = storeError;
            }
          }
          failedKeys.add(key);
          metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
          logger.warn('record failed', { sequenceNumber, error: failure });
          return { kind: 'failed', error: failure };
        },
      );
      const checkpoint = outcomes.findIndex(
        (outcome) => outcome.kind !== 'succeeded' && outcome.kind !== 'dead-lettered',
      );
      if (checkpoint === -1) return { batchItemFailures: [] };
      const first = outcomes[checkpoint];
      if (redrive && first?.kind === 'failed')
        throw first.error instanceof Error ? first.error : new Error(String(first.error));
      if (checkpoint === 0) {
        throw new FirstRecordFailedError(
          `the batch's first record (${records[0]?.dynamodb?.SequenceNumber}) failed; the mapping retries the batch`,
          { cause: first?.kind === 'failed' ? first.error : undefined },
        );
      }
      // Lambda reads an item without an identifier as the whole batch failed, which retries it from the start.
      return {
        batchItemFailures: records
          .slice(checkpoint)
          .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
      };
    });
