import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, observability } from './observability.js';

export type RecordUseCase = (record: DynamoDBRecord) => Promise<void>;

/**
 * The chain for table-stream consumers. Records run one at a time, in stream
 * order, and each failure is reported alone (ReportBatchItemFailures) so the
 * mapping retries from it; if every record fails, the batch throws and the
 * mapping bisects it.
 */
export const streamHandler = (useCase: RecordUseCase) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(observability())
    .handler((event, context) =>
      processPartialResponse(
        event,
        async (record: DynamoDBRecord) => {
          try {
            await useCase(record);
            metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
          } catch (error) {
            metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
            logger.warn('record failed', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
            throw error;
          }
        },
        processor,
        { context, processInParallel: false },
      ),
    );
};
