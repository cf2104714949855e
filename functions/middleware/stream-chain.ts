import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, observability } from './observability.js';

export type RecordUseCase = (record: DynamoDBRecord) => Promise<void>;

/** A record not attempted because an earlier one in its batch failed; it is retried after it. */
export class EarlierRecordFailedError extends Error {
  override readonly name = 'EarlierRecordFailedError';
}

/**
 * The chain for table-stream consumers. Records run one at a time, in stream
 * order. The first failure stops the batch: it and every later record are
 * reported failed (ReportBatchItemFailures), so the mapping retries from it and
 * nothing after it is applied before it (an exit rule must not lose to the
 * timer behind it). If the first record fails, the whole batch throws and the
 * mapping bisects it, which isolates a poison record.
 */
export const streamHandler = (useCase: RecordUseCase) =>
  middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(observability())
    .handler((event, context) => {
      // Per invocation: the local runtime may run several at once in one process.
      const processor = new BatchProcessor(EventType.DynamoDBStreams);
      let failed = false;
      return processPartialResponse(
        event,
        async (record: DynamoDBRecord) => {
          if (failed) throw new EarlierRecordFailedError('an earlier record in this batch failed');
          try {
            await useCase(record);
            metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
          } catch (error) {
            failed = true;
            metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
            logger.warn('record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
            throw error;
          }
        },
        processor,
        { context, processInParallel: false },
      );
    });
