import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeOnResource } from './acknowledge.js';

/** A queue that only ever receives what failed for good: encrypted, TLS only, kept the longest SQS allows. */
export const createDeadLetterQueue = (scope: Construct, id: string): sqs.Queue => {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledgeOnResource(
    queue,
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination; messages here are inspected and replayed by an operator.',
    },
    {
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter destination; a redrive from it would only move the same failures again.',
    },
  );
  return queue;
};
