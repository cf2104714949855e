import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda';
import { metrics, observability } from './observability.js';

export type TopicUseCase = (record: SNSEventRecord) => Promise<void>;

/** The chain for SNS subscribers: SNS delivers one record per invocation, but the loop costs nothing. */
export const topicHandler = (useCase: TopicUseCase) =>
  middy<SNSEvent, void, Error, Context>()
    .use(observability())
    .handler(async (event) => {
      for (const record of event.Records) {
        await useCase(record);
        metrics.addMetric('NotificationsProcessed', MetricUnit.Count, 1);
      }
    });
