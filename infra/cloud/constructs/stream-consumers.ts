import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec, TableStreamTrigger } from '../../topology.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';

export interface StreamConsumersProps {
  table: dynamodb.ITable;
}

export interface StreamConsumer {
  spec: FunctionSpec & { trigger: TableStreamTrigger };
  function: lambda.IFunction;
}

/**
 * Table stream → function mappings with the topology's batch settings. Failures
 * are reported per record, batches split on error, retries and record age are
 * capped, and what still fails lands in one shared dead-letter queue, so a
 * poison record never blocks its shard.
 */
export class StreamConsumers extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly consumers: StreamConsumer[] = [];
  private readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    this.table = props.table;
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
  }

  addConsumer(spec: FunctionSpec & { trigger: TableStreamTrigger }, fn: lambda.IFunction): void {
    const { trigger } = spec;
    fn.addEventSource(
      new sources.DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: trigger.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
        // The topology patterns are already in the JSON shape Lambda filters expect.
        filters: trigger.filters.map((pattern) => lambda.FilterCriteria.filter(pattern)),
        reportBatchItemFailures: trigger.reportBatchItemFailures,
        bisectBatchOnError: trigger.bisectBatchOnError,
        retryAttempts: trigger.retryAttempts,
        maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
      }),
    );
    this.consumers.push({ spec, function: fn });
  }
}
