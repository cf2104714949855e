import { performance } from 'node:perf_hooks';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { toLambdaRecord } from '../../lib/adapters/dynamodb/lambda-stream-record.js';
import { describeError } from '../../lib/domain/error-text.js';
import type { TableStreamTrigger } from '../topology.js';
import type { DeadLetterSink } from './dead-letter-sink.js';
import { compileFilters } from './filter-pattern.js';
import { invoke, type LocalFunction } from './lambda-invoke.js';
import { type CheckpointStore, createMemoryCheckpointStore } from './stream-checkpoints.js';

// Where tests and benchmarks have always found them; the dead-letter intake reads the stream the same way.
export {
  toLambdaRecord,
  UnknownAttributeTypeError,
} from '../../lib/adapters/dynamodb/lambda-stream-record.js';

/**
 * A Lambda event source mapping over a DynamoDB stream, reproduced against
 * DynamoDB Local: filter criteria, batch size, ReportBatchItemFailures
 * checkpointing, bisect on error, per-record retry limits and maximum record age,
 * with what still fails sent to the dead-letter sink. Records of a shard are
 * handled strictly in order, and a child shard only after its parent is done.
 */

export interface StreamPollerOptions {
  fn: LocalFunction;
  mapping: TableStreamTrigger;
  tableName: string;
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** The region put in each record, as Lambda does (DynamoDB Local says `ddblocal`). */
  region: string;
  deadLetters: DeadLetterSink;
  /** Defaults to in memory: every start reads the stream from its oldest record. */
  checkpoints?: CheckpointStore;
  /** Wait between reads of a shard that had nothing new. */
  pollIntervalMs?: number;
  /** How often the shard list is refreshed to find shards DynamoDB Local rotated in. */
  shardRefreshMs?: number;
  /** First retry delay; each further retry of the same record doubles it, up to 5 s. */
  retryBaseDelayMs?: number;
  /** Milliseconds since the epoch; tests move it to age records. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface ShardStatus {
  shardId: string;
  parentShardId: string | undefined;
  state: ShardState['state'];
  buffered: number;
  checkpoint: string | undefined;
}

export interface StreamPollerStatus {
  functionName: string;
  streamArn: string | undefined;
  invocations: number;
  /** Invocations that have returned or thrown; a change means a handler may have written something. */
  settledInvocations: number;
  failedInvocations: number;
  shards: ShardStatus[];
}

export interface StreamPoller {
  readonly functionName: string;
  /** Finds the table's stream and starts reading; resolves once reading has begun. */
  start(): Promise<void>;
  /** Resolves once every shard has been read to its end with nothing left to handle or retry. */
  idle(): Promise<void>;
  status(): StreamPollerStatus;
  stop(): Promise<void>;
}

export class StreamNotEnabledError extends Error {
  override readonly name = 'StreamNotEnabledError';
}

interface Pending {
  record: DynamoDBRecord;
  sequenceNumber: string;
  /** The record read just before this one in the shard, whether handled or filtered out. */
  previousSequenceNumber: string | undefined;
  /** Failed invocations that counted against this record's retries. */
  failures: number;
  /** When this runtime first read it: the batching window counts from here. */
  firstSeenAt: number;
  /**
   * When the table wrote it (the stream's ApproximateCreationDateTime, which DynamoDB Local
   * rounds down to the minute), else when it was first read. Its age counts from here, as
   * Lambda's does, so a record read again after a restart does not start young again.
   */
  createdAt: number;
}

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  state: 'waiting-for-parent' | 'reading' | 'finished';
  iterator: string | undefined;
  lastReadSequenceNumber: string | undefined;
  buffer: Pending[];
  /** Sizes of the sub-batches still to retry after a bisect; empty means "next batch, full size". */
  pendingBatchSizes: number[];
  retryAt: number;
  /** performance.now() at the start of the last read that found nothing new with nothing buffered. */
  caughtUpSince: number;
}

const BatchResponse = z
  .object({
    batchItemFailures: z.array(z.object({ itemIdentifier: z.string().min(1) })).nullish(),
  })
  .nullish();

type Outcome =
  | { kind: 'success' }
  | { kind: 'partial'; failed: ReadonlySet<string> }
  | { kind: 'error'; error: string };

/** How long a poller waits between reads of a shard that had nothing new, unless told otherwise. */
export const defaultPollIntervalMs = 150;

/** A sleep that ends early when woken, so stop() and idle() need not wait out a poll interval. */
class Waker {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.wakers]) done();
  }
}

export const createStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const functionName = options.fn.functionName;
  const mapping = options.mapping;
  const matches = compileFilters(mapping.filters);
  const checkpoints = options.checkpoints ?? createMemoryCheckpointStore();
  const pollIntervalMs = options.pollIntervalMs ?? defaultPollIntervalMs;
  const shardRefreshMs = options.shardRefreshMs ?? 1_000;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
  const now = options.now ?? (() => Date.now());
  const log = options.log ?? ((line: string) => console.warn(line));
  const waker = new Waker();
  const shards = new Map<string, ShardState>();
  const loops = new Set<Promise<void>>();
  let streamArn: string | undefined;
  let stopped = false;
  let discoveredSince = -1;
  let discovery: Promise<void> | undefined;
  let invocations = 0;
  let settledInvocations = 0;
  let failedInvocations = 0;

  const arnOf = (): string => {
    if (streamArn === undefined) throw new Error('the poller has not started');
    return streamArn;
  };

  const commit = (shard: ShardState): void => {
    const head = shard.buffer[0];
    const sequenceNumber = head === undefined ? shard.lastReadSequenceNumber : head.previousSequenceNumber;
    const finished = shard.state === 'finished';
    if (sequenceNumber === undefined && !finished) return;
    checkpoints.set(arnOf(), functionName, shard.shardId, {
      ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      ...(finished ? { finished } : {}),
    });
  };

  const deadLetter = (shard: ShardState, pending: Pending, error: string): void => {
    options.deadLetters.add({
      functionName,
      redriveAs: 'stream-record',
      record: pending.record,
      reason: error,
    });
    shard.buffer = shard.buffer.filter((item) => item !== pending);
  };

  const openIterator = async (shard: ShardState, after: string | undefined): Promise<void> => {
    const position =
      after === undefined
        ? { ShardIteratorType: 'TRIM_HORIZON' as const }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after };
    try {
      const opened = await options.streams.send(
        new GetShardIteratorCommand({ StreamArn: arnOf(), ShardId: shard.shardId, ...position }),
      );
      shard.iterator = opened.ShardIterator;
    } catch (error) {
      // The checkpoint fell off the 24-hour retention: the oldest record still kept is next.
      if (after !== undefined && error instanceof TrimmedDataAccessException)
        return openIterator(shard, undefined);
      throw error;
    }
  };

  const classify = (batch: readonly Pending[], response: unknown): Outcome => {
    const parsed = BatchResponse.safeParse(response);
    if (!parsed.success) return { kind: 'error', error: 'the function returned an invalid batch response' };
    const failures = parsed.data?.batchItemFailures ?? [];
    if (failures.length === 0) return { kind: 'success' };
    const inBatch = new Set(batch.map((pending) => pending.sequenceNumber));
    const failed = new Set(failures.map((failure) => failure.itemIdentifier));
    for (const identifier of failed) {
      // Lambda treats an identifier it did not send as a failure of the whole batch.
      if (!inBatch.has(identifier))
        return { kind: 'error', error: `batchItemFailures names ${identifier}, which is not in the batch` };
    }
    return { kind: 'partial', failed };
  };

  const retryDelay = (failures: number): number =>
    Math.min(5_000, retryBaseDelayMs * 2 ** Math.max(0, failures - 1));

  /** Counts a failure against each record and gives up on those past the retry limit. */
  const recordFailure = (shard: ShardState, failing: readonly Pending[], error: string): void => {
    let worst = 0;
    for (const pending of failing) {
      pending.failures += 1;
      if (pending.failures > mapping.retryAttempts) {
        deadLetter(shard, pending, `${error} (gave up after ${pending.failures} attempts)`);
        shard.pendingBatchSizes = [];
      } else {
        worst = Math.max(worst, pending.failures);
      }
    }
    if (worst > 0) shard.retryAt = now() + retryDelay(worst);
  };

  const expireOldRecords = (shard: ShardState): void => {
    const limit = now() - mapping.maxRecordAgeSeconds * 1000;
    for (const pending of [...shard.buffer]) {
      if (pending.createdAt < limit) {
        deadLetter(
          shard,
          pending,
          `record older than maxRecordAgeSeconds (${mapping.maxRecordAgeSeconds} s)`,
        );
        shard.pendingBatchSizes = [];
      }
    }
  };

  const processNext = async (shard: ShardState): Promise<void> => {
    expireOldRecords(shard);
    if (shard.buffer.length === 0) {
      commit(shard);
      return;
    }
    const wait = shard.retryAt - now();
    if (wait > 0) {
      await waker.sleep(Math.min(wait, 1_000));
      return;
    }
    const size = Math.min(shard.pendingBatchSizes[0] ?? mapping.batchSize, shard.buffer.length);
    const batch = shard.buffer.slice(0, size);
    let outcome: Outcome;
    invocations += 1;
    try {
      const response = await invoke(
        options.fn,
        { Records: batch.map((pending) => pending.record) },
        options.region,
      );
      outcome = classify(batch, response);
    } catch (error) {
      outcome = { kind: 'error', error: describeError(error) };
    } finally {
      settledInvocations += 1;
    }
    if (outcome.kind === 'success') {
      shard.buffer.splice(0, size);
      shard.pendingBatchSizes.shift();
      shard.retryAt = 0;
      commit(shard);
      return;
    }
    failedInvocations += 1;
    if (outcome.kind === 'partial') {
      const failed = outcome.failed;
      const firstFailed = batch.findIndex((pending) => failed.has(pending.sequenceNumber));
      log(
        `[${functionName}] ${failed.size} of ${size} records failed; retrying from ${batch[firstFailed]?.sequenceNumber}`,
      );
      // Everything before the first failure is done; the rest of the batch is retried as one.
      shard.buffer.splice(0, firstFailed);
      const rest = batch.slice(firstFailed);
      recordFailure(
        shard,
        rest.filter((pending) => failed.has(pending.sequenceNumber)),
        'reported in batchItemFailures',
      );
      const remaining = rest.filter((pending) => shard.buffer.includes(pending)).length;
      shard.pendingBatchSizes.shift();
      if (remaining > 0) shard.pendingBatchSizes.unshift(remaining);
      commit(shard);
      return;
    }
    log(`[${functionName}] batch of ${size} failed: ${outcome.error}`);
    if (mapping.bisectBatchOnError && size > 1) {
      // Splitting does not count against the retry limit, as in Lambda.
      shard.pendingBatchSizes.splice(0, 1, Math.ceil(size / 2), Math.floor(size / 2));
      return;
    }
    recordFailure(shard, batch, outcome.error);
    commit(shard);
  };

  const read = async (shard: ShardState): Promise<void> => {
    const iterator = shard.iterator;
    if (iterator === undefined) {
      shard.state = 'finished';
      commit(shard);
      waker.wake();
      return;
    }
    const startedAt = performance.now();
    let result: GetRecordsCommandOutput;
    try {
      result = await options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        await openIterator(shard, shard.lastReadSequenceNumber);
        return;
      }
      if (stopped) return;
      log(`[${functionName}] reading shard ${shard.shardId} failed: ${describeError(error)}`);
      await waker.sleep(pollIntervalMs * 5);
      return;
    }
    const records = result.Records ?? [];
    shard.iterator = result.NextShardIterator;
    const seenAt = now();
    for (const record of records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (sequenceNumber === undefined) continue;
      const lambdaRecord = toLambdaRecord(record, arnOf(), options.region);
      const previousSequenceNumber = shard.lastReadSequenceNumber;
      shard.lastReadSequenceNumber = sequenceNumber;
      if (!matches(lambdaRecord)) continue;
      shard.buffer.push({
        record: lambdaRecord,
        sequenceNumber,
        previousSequenceNumber,
        failures: 0,
        firstSeenAt: seenAt,
        createdAt: record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? seenAt,
      });
    }
    if (records.length > 0) {
      commit(shard);
      return;
    }
    if (shard.buffer.length === 0) shard.caughtUpSince = startedAt;
    if (shard.iterator !== undefined) await waker.sleep(pollIntervalMs);
  };

  /** Within the batching window a short batch waits for more records, as the mapping would. */
  const gatheringBatch = (shard: ShardState): boolean => {
    const oldest = shard.buffer[0];
    return (
      mapping.maxBatchingWindowSeconds > 0 &&
      oldest !== undefined &&
      shard.iterator !== undefined &&
      shard.pendingBatchSizes.length === 0 &&
      shard.buffer.length < mapping.batchSize &&
      now() - oldest.firstSeenAt < mapping.maxBatchingWindowSeconds * 1000
    );
  };

  const runShard = async (shard: ShardState): Promise<void> => {
    const saved = checkpoints.get(arnOf(), functionName, shard.shardId);
    shard.lastReadSequenceNumber = saved?.sequenceNumber;
    await openIterator(shard, saved?.sequenceNumber);
    while (!stopped && shard.state === 'reading') {
      if (shard.buffer.length > 0 && !gatheringBatch(shard)) await processNext(shard);
      else await read(shard);
    }
  };

  const launch = (shard: ShardState): void => {
    shard.state = 'reading';
    const loop = runShard(shard)
      .catch((error: unknown) => {
        if (stopped) return;
        log(`[${functionName}] shard ${shard.shardId} stopped: ${describeError(error)}`);
      })
      .finally(() => {
        loops.delete(loop);
        if (!stopped) discover().catch(() => undefined);
      });
    loops.add(loop);
  };

  const listShards = async (): Promise<Shard[]> => {
    const found: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: arnOf(), ExclusiveStartShardId: exclusiveStartShardId }),
      );
      found.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return found;
  };

  const discoverOnce = async (): Promise<void> => {
    const startedAt = performance.now();
    const listed = await listShards();
    for (const shard of listed) {
      if (shard.ShardId === undefined || shards.has(shard.ShardId)) continue;
      const finished = checkpoints.get(arnOf(), functionName, shard.ShardId)?.finished === true;
      shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        state: finished ? 'finished' : 'waiting-for-parent',
        iterator: undefined,
        lastReadSequenceNumber: undefined,
        buffer: [],
        pendingBatchSizes: [],
        retryAt: 0,
        caughtUpSince: -1,
      });
    }
    for (const shard of shards.values()) {
      if (shard.state !== 'waiting-for-parent') continue;
      const parent = shard.parentShardId === undefined ? undefined : shards.get(shard.parentShardId);
      // A parent no longer listed has been trimmed: nothing of it is left to read first.
      if (parent === undefined || parent.state === 'finished') launch(shard);
    }
    discoveredSince = startedAt;
  };

  /** One shard listing at a time; callers arriving during one wait for the next. */
  const discover = async (): Promise<void> => {
    while (discovery !== undefined) await discovery;
    if (stopped) return;
    discovery = discoverOnce().finally(() => {
      discovery = undefined;
    });
    return discovery;
  };

  let discoveryLoop: Promise<void> | undefined;

  const isIdleSince = (since: number): boolean =>
    discoveredSince >= since &&
    [...shards.values()].every(
      (shard) =>
        shard.state === 'finished' ||
        (shard.state === 'waiting-for-parent' &&
          shard.parentShardId !== undefined &&
          shards.get(shard.parentShardId)?.state !== 'finished') ||
        (shard.state === 'reading' && shard.buffer.length === 0 && shard.caughtUpSince >= since),
    );

  return {
    functionName,
    start: async () => {
      const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
      const arn = table.Table?.LatestStreamArn;
      if (arn === undefined || table.Table?.StreamSpecification?.StreamEnabled !== true)
        throw new StreamNotEnabledError(
          `table ${options.tableName} has no stream for ${functionName} to read`,
        );
      streamArn = arn;
      await discover();
      discoveryLoop = (async () => {
        while (!stopped) {
          await waker.sleep(shardRefreshMs);
          if (stopped) return;
          await discover().catch((error: unknown) => {
            if (!(error instanceof ResourceNotFoundException))
              log(`[${functionName}] listing shards failed: ${describeError(error)}`);
          });
        }
      })();
    },
    idle: async () => {
      const since = performance.now();
      await discover();
      while (!stopped && !isIdleSince(since)) {
        waker.wake();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    status: () => ({
      functionName,
      streamArn,
      invocations,
      settledInvocations,
      failedInvocations,
      shards: [...shards.values()].map((shard) => ({
        shardId: shard.shardId,
        parentShardId: shard.parentShardId,
        state: shard.state,
        buffered: shard.buffer.length,
        checkpoint: checkpoints.get(streamArn ?? '', functionName, shard.shardId)?.sequenceNumber,
      })),
    }),
    stop: async () => {
      stopped = true;
      waker.wake();
      await Promise.allSettled([...loops, discoveryLoop, discovery]);
      await checkpoints.flush();
    },
  };
};
