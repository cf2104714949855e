import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueues, QueuedFailure } from '../../ports/dead-letter-queues.js';

export interface SqsDeadLetterQueuesOptions {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Long enough for one message's records to be read back from the stream and kept. */
const visibilityTimeoutSeconds = 90;

export class SqsDeadLetterQueues implements DeadLetterQueues {
  private readonly client: SQSClient;

  constructor(options: SqsDeadLetterQueuesOptions) {
    this.client = new SQSClient(options);
  }

  async receive(queueUrl: string, max: number): Promise<QueuedFailure[]> {
    const { Messages } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        // A run empties what is there and ends; it does not wait for more.
        WaitTimeSeconds: 0,
        VisibilityTimeout: visibilityTimeoutSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    return (Messages ?? []).flatMap((message) =>
      message.ReceiptHandle === undefined || message.MessageId === undefined
        ? []
        : [
            {
              receipt: message.ReceiptHandle,
              messageId: message.MessageId,
              body: message.Body ?? '',
              attributes: Object.fromEntries(
                Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
                  value.StringValue === undefined ? [] : [[name, value.StringValue]],
                ),
              ),
            },
          ],
    );
  }

  async remove(queueUrl: string, receipt: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
  }
}
