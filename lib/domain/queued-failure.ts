import { z } from 'zod';

/**
 * The shapes AWS writes to an SQS dead-letter queue, and what a dead letter keeps
 * of each. A stream mapping's on-failure destination gets where the failed batch
 * is in the stream, not its records; a function's asynchronous dead-letter queue
 * gets the event itself, with the error in the message's attributes; an SNS
 * subscription's gets the SNS message as SNS writes it.
 */

/** What a stream event source mapping sends its on-failure destination (an invocation record). */
export const StreamBatchFailure = z.object({
  requestContext: z.object({
    functionArn: z.string().min(1),
    /** RetryAttemptsExhausted, RecordAgeExceeded, … */
    condition: z.string().min(1),
    approximateInvokeCount: z.number().int().optional(),
  }),
  responseContext: z.object({ functionError: z.string().optional() }).loose().optional(),
  DDBStreamBatchInfo: z.object({
    shardId: z.string().min(1),
    startSequenceNumber: z.string().min(1),
    endSequenceNumber: z.string().min(1),
    approximateArrivalOfFirstRecord: z.string().optional(),
    batchSize: z.number().int().optional(),
    streamArn: z.string().min(1),
  }),
});
export type StreamBatchFailure = z.infer<typeof StreamBatchFailure>;

/** The function a Lambda ARN names, without a version or alias. */
export const functionNameOfArn = (arn: string): string | undefined => /:function:([^:]+)/.exec(arn)?.[1];

const conditions: Readonly<Record<string, string>> = {
  RetryAttemptsExhausted: 'the stream mapping gave up after its retries',
  RecordAgeExceeded: "the records grew older than the stream mapping's maximum record age",
};

/** Why a stream mapping gave up on a batch, as far as its invocation record says. */
export const streamFailureReason = (failure: StreamBatchFailure): string => {
  const { condition, approximateInvokeCount } = failure.requestContext;
  const invocations =
    approximateInvokeCount === undefined
      ? ''
      : ` after ${approximateInvokeCount} invocation${approximateInvokeCount === 1 ? '' : 's'}`;
  const functionError = failure.responseContext?.functionError;
  return `${condition}: ${conditions[condition] ?? 'the stream mapping gave up on the batch'}${invocations}${
    functionError === undefined ? '' : ` (${functionError})`
  }; the function's log holds the error`;
};

/** What the dead letter says of a batch the stream no longer holds. */
export const streamRangeGone = (failure: StreamBatchFailure): string => {
  const info = failure.DDBStreamBatchInfo;
  return `the stream no longer holds sequence numbers ${info.startSequenceNumber} to ${info.endSequenceNumber} of ${info.shardId} (it keeps records 24 hours)${
    info.batchSize === undefined ? '' : `; ${info.batchSize} record${info.batchSize === 1 ? '' : 's'} failed`
  }`;
};

/** An SNS message as SNS writes it, here to a subscription's dead-letter queue. */
export const SnsEnvelope = z.object({
  Type: z.string(),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Subject: z.string().optional(),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
  MessageAttributes: z.record(z.string(), z.unknown()).optional(),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

/** The notification event Lambda hands a subscribed function, for a message SNS could not hand it. */
export const snsEventOf = (envelope: SnsEnvelope) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: envelope.TopicArn,
      Sns: {
        Type: envelope.Type,
        MessageId: envelope.MessageId,
        TopicArn: envelope.TopicArn,
        ...(envelope.Subject === undefined ? {} : { Subject: envelope.Subject }),
        Message: envelope.Message,
        Timestamp: envelope.Timestamp,
        SignatureVersion: envelope.SignatureVersion ?? '1',
        Signature: envelope.Signature ?? '',
        SigningCertUrl: envelope.SigningCertURL ?? '',
        UnsubscribeUrl: envelope.UnsubscribeURL ?? '',
        MessageAttributes: envelope.MessageAttributes ?? {},
      },
    },
  ],
});

/**
 * Why an asynchronous invocation's event was given up on: Lambda names the error
 * in `ErrorMessage` (and `ErrorCode`), an EventBridge target in `ERROR_MESSAGE`
 * (and `ERROR_CODE`); SNS names none.
 */
export const asyncFailureReason = (
  attributes: Readonly<Record<string, string>>,
  fallback: string,
): string => {
  const message = attributes.ErrorMessage ?? attributes.ERROR_MESSAGE;
  const code = attributes.ErrorCode ?? attributes.ERROR_CODE;
  if (message === undefined) return code === undefined ? fallback : `${fallback} (${code})`;
  return code === undefined ? message : `${message} (${code})`;
};
