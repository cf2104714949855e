import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDeadLetterSink } from '../../../infra/local/dead-letter-sink.js';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';
import { createTopicBus, UnknownTopicError } from '../../../infra/local/topic-bus.js';

const subscriber = (handler: LocalFunction['handler']): LocalFunction => ({
  functionName: 'listener',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler,
});

const quietBus = () => {
  const deadLetters = createDeadLetterSink({ print: () => undefined });
  const bus = createTopicBus({ region: 'us-east-1', deadLetters, retryDelayMs: 1, log: () => undefined });
  return { bus, deadLetters };
};

describe('publishing to a local topic', () => {
  it('hands each subscriber one SNS notification carrying the raw message', async () => {
    const { bus } = quietBus();
    const received: unknown[] = [];
    bus.subscribe(
      'ses-feedback',
      subscriber(async (event) => {
        received.push(event);
      }),
    );

    const { messageId } = await bus.publish('ses-feedback', '{"notificationType":"Bounce"}');

    expect(received).toHaveLength(1);
    const event: SNSEvent = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: expect.stringContaining(':rapport-local-ses-feedback:'),
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: 'arn:aws:sns:us-east-1:000000000000:rapport-local-ses-feedback',
            Message: '{"notificationType":"Bounce"}',
            Timestamp: expect.any(String),
            SignatureVersion: '1',
            Signature: expect.any(String),
            SigningCertUrl: expect.any(String),
            UnsubscribeUrl: expect.any(String),
            MessageAttributes: {},
          },
        },
      ],
    };
    expect(received[0]).toEqual(event);
  });

  it('retries a failing subscriber, then dead-letters the event', async () => {
    const { bus, deadLetters } = quietBus();
    let attempts = 0;
    bus.subscribe(
      'ses-feedback',
      subscriber(async () => {
        attempts += 1;
        throw new Error('cannot parse');
      }),
    );

    const { deliveries } = await bus.publish('ses-feedback', 'not json');

    expect(attempts).toBe(3);
    expect(deliveries).toEqual([{ functionName: 'listener', delivered: false }]);
    expect(await deadLetters.list()).toEqual([
      expect.objectContaining({
        functionName: 'listener',
        redriveAs: 'event',
        reason: expect.stringContaining('cannot parse'),
      }),
    ]);
  });

  it('stops retrying once the subscriber succeeds', async () => {
    const { bus, deadLetters } = quietBus();
    let attempts = 0;
    bus.subscribe(
      'ses-feedback',
      subscriber(async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('transient');
      }),
    );

    await bus.publish('ses-feedback', 'x');

    expect(attempts).toBe(2);
    expect(await deadLetters.list()).toEqual([]);
  });

  it('refuses a topic nobody subscribes to', async () => {
    const { bus } = quietBus();

    await expect(bus.publish('ses-feedback', 'x')).rejects.toThrow(UnknownTopicError);
  });
});
