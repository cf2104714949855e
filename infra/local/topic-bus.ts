import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { TopicName } from '../topology.js';
import { type AsyncInvocationOptions, createAsyncInvoker, type Delivery } from './async-invocation.js';
import { type LocalFunction, localAccountId } from './lambda-invoke.js';

/**
 * In-process SNS topics. A publish becomes one SNS notification event per
 * subscribed function, invoked asynchronously as Lambda does: a failing handler is
 * retried a few times and then its event goes to the dead-letter sink.
 */

export type TopicBusOptions = AsyncInvocationOptions;
export type { Delivery };

export interface TopicBus {
  subscribe(topic: TopicName, fn: LocalFunction): void;
  topics(): TopicName[];
  topicArn(topic: TopicName): string;
  /** Resolves once every subscriber has handled the message or it was dead-lettered. */
  publish(
    topic: TopicName,
    message: string,
    subject?: string,
  ): Promise<{ messageId: string; deliveries: Delivery[] }>;
  /** Resolves once no publish is still being delivered. */
  idle(): Promise<void>;
  /** Counts of messages published and of subscriber deliveries that finished (delivered or dead-lettered). */
  stats(): { published: number; settledDeliveries: number };
}

export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
}

export const createTopicBus = (options: TopicBusOptions): TopicBus => {
  const subscribers = new Map<TopicName, LocalFunction[]>();
  let published = 0;
  const invoker = createAsyncInvoker(options);
  const topicArn = (topic: TopicName) =>
    `arn:aws:sns:${options.region}:${localAccountId}:rapport-local-${topic}`;

  const notification = (
    topic: TopicName,
    fn: LocalFunction,
    message: string,
    messageId: string,
    subject?: string,
  ): SNSEvent => {
    const arn = topicArn(topic);
    const subscriptionArn = `${arn}:${randomUUID()}`;
    return {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscriptionArn,
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: arn,
            ...(subject === undefined ? {} : { Subject: subject }),
            Message: message,
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: 'local',
            SigningCertUrl: `https://sns.${options.region}.amazonaws.com/local.pem`,
            UnsubscribeUrl: `https://sns.${options.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}&function=${fn.functionName}`,
            MessageAttributes: {},
          },
        },
      ],
    };
  };

  return {
    subscribe: (topic, fn) => {
      subscribers.set(topic, [...(subscribers.get(topic) ?? []), fn]);
    },
    topics: () => [...subscribers.keys()],
    topicArn,
    publish: async (topic, message, subject) => {
      const functions = subscribers.get(topic);
      if (functions === undefined) throw new UnknownTopicError(`nobody subscribes to topic "${topic}"`);
      const messageId = randomUUID();
      published += 1;
      const deliveries = await Promise.all(
        functions.map((fn) =>
          invoker.invoke(fn, notification(topic, fn, message, messageId, subject), 'topic message'),
        ),
      );
      return { messageId, deliveries };
    },
    idle: () => invoker.idle(),
    stats: () => ({ published, settledDeliveries: invoker.settled() }),
  };
};
