import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { TopicName } from '../topology.js';
import type { DeadLetterSink } from './dead-letter-sink.js';
import { describeError } from './dead-letter-sink.js';
import { invoke, type LocalFunction, localAccountId } from './lambda-invoke.js';

/**
 * In-process SNS topics. A publish becomes one SNS notification event per
 * subscribed function; like Lambda's asynchronous invocation, a failing handler is
 * retried a few times and then its event goes to the dead-letter sink.
 */

export interface TopicBusOptions {
  region: string;
  deadLetters: DeadLetterSink;
  /** Retries after the first failure; Lambda's asynchronous invocation makes two. */
  retryAttempts?: number;
  retryDelayMs?: number;
  log?: (line: string) => void;
}

export interface Delivery {
  functionName: string;
  /** false when the handler kept failing and the event was dead-lettered. */
  delivered: boolean;
}

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
  const inFlight = new Set<Promise<unknown>>();
  let published = 0;
  let settledDeliveries = 0;
  const retryAttempts = options.retryAttempts ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const log = options.log ?? ((line: string) => console.warn(line));
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

  const deliver = async (fn: LocalFunction, event: SNSEvent): Promise<Delivery> => {
    try {
      return await deliverWithRetries(fn, event);
    } finally {
      settledDeliveries += 1;
    }
  };

  const deliverWithRetries = async (fn: LocalFunction, event: SNSEvent): Promise<Delivery> => {
    let lastError = '';
    for (let attempt = 0; attempt <= retryAttempts; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
      try {
        await invoke(fn, event, options.region);
        return { functionName: fn.functionName, delivered: true };
      } catch (error) {
        lastError = describeError(error);
        log(`[${fn.functionName}] topic message failed (attempt ${attempt + 1}): ${lastError}`);
      }
    }
    options.deadLetters.add({
      functionName: fn.functionName,
      record: event,
      error: `${lastError} (gave up after ${retryAttempts + 1} attempts)`,
    });
    return { functionName: fn.functionName, delivered: false };
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
      const delivery = Promise.all(
        functions.map((fn) => deliver(fn, notification(topic, fn, message, messageId, subject))),
      );
      inFlight.add(delivery);
      try {
        return { messageId, deliveries: await delivery };
      } finally {
        inFlight.delete(delivery);
      }
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stats: () => ({ published, settledDeliveries }),
  };
};
