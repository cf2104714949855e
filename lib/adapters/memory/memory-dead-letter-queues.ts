import type { DeadLetterQueues, QueuedFailure } from '../../ports/dead-letter-queues.js';

interface Held {
  message: Omit<QueuedFailure, 'receipt'>;
  /** Set while a reader holds it; a receive does not hand it out again. */
  receipt?: string;
}

/**
 * SQS dead-letter queues in memory, for the intake's tests: what AWS would have
 * sent them goes in with `send`, a receive hides what it hands out (as a
 * visibility timeout does until it lapses), and `remove` takes a message off by
 * the receipt it was handed with.
 */
export class MemoryDeadLetterQueues implements DeadLetterQueues {
  private readonly queues = new Map<string, Held[]>();
  private receipts = 0;

  send(
    queueUrl: string,
    message: { messageId: string; body: string; attributes?: Record<string, string> },
  ): void {
    const held = this.queues.get(queueUrl) ?? [];
    held.push({
      message: { messageId: message.messageId, body: message.body, attributes: message.attributes ?? {} },
    });
    this.queues.set(queueUrl, held);
  }

  /** What the queue still holds, handed out or not. */
  held(queueUrl: string): Array<Omit<QueuedFailure, 'receipt'>> {
    return (this.queues.get(queueUrl) ?? []).map((held) => held.message);
  }

  async receive(queueUrl: string, max: number): Promise<QueuedFailure[]> {
    const visible = (this.queues.get(queueUrl) ?? [])
      .filter((held) => held.receipt === undefined)
      .slice(0, max);
    return visible.map((held) => {
      this.receipts += 1;
      held.receipt = `receipt-${this.receipts}`;
      return { ...held.message, receipt: held.receipt };
    });
  }

  async remove(queueUrl: string, receipt: string): Promise<void> {
    const held = this.queues.get(queueUrl) ?? [];
    this.queues.set(
      queueUrl,
      held.filter((entry) => entry.receipt !== receipt),
    );
  }
}
