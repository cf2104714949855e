/** A message on an SQS dead-letter queue: what Lambda, SNS or EventBridge gave up on. */
export interface QueuedFailure {
  /** What deleting it takes. */
  receipt: string;
  messageId: string;
  body: string;
  /** Its message attributes' text (ErrorMessage, ERROR_CODE, …), by name. */
  attributes: Readonly<Record<string, string>>;
}

/** The SQS dead-letter queues, by URL: what the intake moves into the dead letters. */
export interface DeadLetterQueues {
  /** Up to `max` messages, hidden from other readers while the intake works on them. */
  receive(queueUrl: string, max: number): Promise<QueuedFailure[]>;
  /** Once its dead letters are kept. */
  remove(queueUrl: string, receipt: string): Promise<void>;
}
