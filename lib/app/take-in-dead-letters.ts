import { describeError } from '../domain/error-text.js';
import { isRecord } from '../domain/is-record.js';
import {
  asyncFailureReason,
  functionNameOfArn,
  SnsEnvelope,
  StreamBatchFailure,
  snsEventOf,
  streamFailureReason,
  streamRangeGone,
} from '../domain/queued-failure.js';
import type { DeadLetterQueues, QueuedFailure } from '../ports/dead-letter-queues.js';
import type { StreamRangeReader } from '../ports/stream-range-reader.js';
import { type DeadLetterDeps, type NewDeadLetter, recordDeadLetter } from './dead-letters.js';

/** One SQS dead-letter queue; an asynchronous function's names the function whose failures it holds. */
export interface DeadLetterQueue {
  url: string;
  functionName?: string;
}

export interface IntakeDeps extends DeadLetterDeps {
  queues: DeadLetterQueues;
  stream: StreamRangeReader;
  settings: {
    queues: readonly DeadLetterQueue[];
    /** Each function's deployed name, by topology name: a stream failure names the deployed one. */
    functionNames: Readonly<Record<string, string>>;
    /** Whether the named function's stream mapping hands it the record (its filters pass it). */
    receives: (functionName: string, record: unknown) => boolean;
    /** No further message is taken after this long, so the run ends before its timeout. */
    budgetMs: number;
  };
}

export interface QueueIntake {
  url: string;
  /** Messages taken off the queue, their dead letters kept. */
  taken: number;
  deadLetters: number;
  /** Messages left on the queue, each with why: its depth alarm still shows them. */
  left: string[];
  /** The queue could not be read or emptied; what it holds stays. */
  failed?: string;
}

type Taken = { deadLetters: NewDeadLetter[] } | { leave: string };

const parsedBody = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const topologyNameOf = (functionNames: IntakeDeps['settings']['functionNames'], deployed: string) =>
  Object.entries(functionNames).find(([, name]) => name === deployed)?.[0];

/** The records of a failed stream batch, read back from the stream, each a dead letter. */
const streamBatch = async (deps: IntakeDeps, failure: StreamBatchFailure): Promise<Taken> => {
  const deployed =
    functionNameOfArn(failure.requestContext.functionArn) ?? failure.requestContext.functionArn;
  const functionName = topologyNameOf(deps.settings.functionNames, deployed);
  if (functionName === undefined) return { leave: `${deployed} is no function this deployment redrives` };
  const reason = streamFailureReason(failure);
  const info = failure.DDBStreamBatchInfo;
  const read = await deps.stream.read({
    streamArn: info.streamArn,
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
  });
  // The range holds every record of the shard between the two; the batch held those the mapping's filters passed.
  const failed = read.records.filter((record) => deps.settings.receives(functionName, record));
  const deadLetters: NewDeadLetter[] = failed.map((record) => ({
    functionName,
    redriveAs: 'stream-record',
    record,
    reason,
  }));
  if (!read.complete || failed.length === 0)
    deadLetters.push({
      functionName,
      redriveAs: 'stream-record',
      reason,
      recordMissing: streamRangeGone(failure),
    });
  return { deadLetters };
};

/** An asynchronous function's event, as Lambda, SNS or an EventBridge target left it. */
const asyncEvent = (functionName: string, message: QueuedFailure, body: unknown): Taken => {
  const envelope = SnsEnvelope.safeParse(body);
  if (envelope.success)
    return {
      deadLetters: [
        {
          functionName,
          redriveAs: 'event',
          record: snsEventOf(envelope.data),
          reason: asyncFailureReason(message.attributes, 'SNS could not hand the message to the function'),
        },
      ],
    };
  return {
    deadLetters: [
      {
        functionName,
        redriveAs: 'event',
        record: body,
        reason: asyncFailureReason(message.attributes, 'the queue message names no error'),
      },
    ],
  };
};

const takeOne = async (deps: IntakeDeps, queue: DeadLetterQueue, message: QueuedFailure): Promise<Taken> => {
  const body = parsedBody(message.body);
  if (!isRecord(body)) return { leave: `message ${message.messageId} is not a JSON object` };
  const batch = StreamBatchFailure.safeParse(body);
  if (batch.success) return streamBatch(deps, batch.data);
  if (queue.functionName === undefined)
    return {
      leave: `message ${message.messageId} is no stream batch failure, and the queue names no function`,
    };
  return asyncEvent(queue.functionName, message, body);
};

const emptyQueue = async (deps: IntakeDeps, queue: DeadLetterQueue, stopAt: number): Promise<QueueIntake> => {
  const intake: QueueIntake = { url: queue.url, taken: 0, deadLetters: 0, left: [] };
  const seen = new Set<string>();
  try {
    while (deps.clock.now().getTime() < stopAt) {
      const messages = (await deps.queues.receive(queue.url, 10)).filter(
        (message) => !seen.has(message.messageId),
      );
      if (messages.length === 0) return intake;
      for (const message of messages) {
        seen.add(message.messageId);
        const taken = await takeOne(deps, queue, message);
        if ('leave' in taken) {
          intake.left.push(taken.leave);
          continue;
        }
        for (const letter of taken.deadLetters) await recordDeadLetter(deps, letter);
        // Only once its dead letters are kept: a run that dies before this takes it again.
        await deps.queues.remove(queue.url, message.receipt);
        intake.taken += 1;
        intake.deadLetters += taken.deadLetters.length;
      }
    }
    return intake;
  } catch (error) {
    return { ...intake, failed: describeError(error) };
  }
};

/**
 * Moves what reached the SQS dead-letter queues into the dead letters, so
 * operators have one list to read and redrive. A failed stream batch is read back
 * from the stream by its sequence numbers, while the stream still holds it; a
 * message the intake cannot place stays on its queue, and a queue it cannot read
 * keeps what it holds: the queue's depth alarm reports both.
 */
export const takeInDeadLetters = async (deps: IntakeDeps): Promise<QueueIntake[]> => {
  const stopAt = deps.clock.now().getTime() + deps.settings.budgetMs;
  const intakes: QueueIntake[] = [];
  for (const queue of deps.settings.queues) intakes.push(await emptyQueue(deps, queue, stopAt));
  return intakes;
};
