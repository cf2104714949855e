import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDeadLetterSink, type DeadLetterSink } from '../../../infra/local/dead-letter-sink.js';
import { localCredentials } from '../../../infra/local/dynamodb-local.js';
import { createFileCheckpointStore } from '../../../infra/local/stream-checkpoints.js';
import { createStreamPoller, type StreamPoller } from '../../../infra/local/stream-poller.js';
import type { TableStreamTrigger } from '../../../infra/topology.js';
import { createTableIfMissing } from '../../../lib/adapters/dynamodb/table-definition.js';
import '../support/provided-context.js';

const region = 'us-east-1';
const config = () => ({ endpoint: inject('dynamodbEndpoint'), region, credentials: localCredentials });
const dynamodb = new DynamoDBClient(config());
const streams = new DynamoDBStreamsClient(config());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const createTable = async (): Promise<string> => {
  const tableName = `poller-${randomUUID()}`;
  await createTableIfMissing(dynamodb, tableName);
  cleanups.push(async () => {
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  });
  return tableName;
};

const put = (tableName: string, sk: string, extra: Record<string, { S: string }> = {}) =>
  dynamodb.send(
    new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'C#1' }, SK: { S: sk }, ...extra } }),
  );

const putEvents = async (tableName: string, names: readonly string[]) => {
  for (const name of names) await put(tableName, `EV#${name}`);
};

const mapping = (overrides: Partial<TableStreamTrigger> = {}): TableStreamTrigger => ({
  kind: 'table-stream',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: 'EV#' }] } } } }],
  retryAttempts: 2,
  maxRecordAgeSeconds: 3_600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  ...overrides,
});

const nameOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.SK?.S?.replace('EV#', '') ?? '?';
const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

type TestHandler = (records: DynamoDBRecord[], event: DynamoDBStreamEvent) => unknown;

interface Harness {
  poller: StreamPoller;
  /** The names each invocation received, in invocation order. */
  batches: string[][];
  events: DynamoDBStreamEvent[];
  deadLetters: DeadLetterSink;
}

const startPoller = async (
  tableName: string,
  handle: TestHandler,
  options: {
    mapping?: Partial<TableStreamTrigger>;
    now?: () => number;
    checkpoints?: Awaited<ReturnType<typeof createFileCheckpointStore>>;
  } = {},
): Promise<Harness> => {
  const batches: string[][] = [];
  const events: DynamoDBStreamEvent[] = [];
  const deadLetters = createDeadLetterSink({ print: () => undefined });
  const poller = createStreamPoller({
    fn: {
      functionName: 'recorder',
      memoryMb: 128,
      timeoutSeconds: 5,
      handler: async (event) => {
        const streamEvent = asStreamEvent(event);
        events.push(streamEvent);
        batches.push(streamEvent.Records.map(nameOf));
        return handle(streamEvent.Records, streamEvent);
      },
    },
    mapping: mapping(options.mapping),
    tableName,
    dynamodb,
    streams,
    region,
    deadLetters,
    pollIntervalMs: 20,
    retryBaseDelayMs: 5,
    log: () => undefined,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
  });
  await poller.start();
  cleanups.push(() => poller.stop());
  return { poller, batches, events, deadLetters };
};

const isStreamEvent = (value: unknown): value is DynamoDBStreamEvent =>
  typeof value === 'object' && value !== null && 'Records' in value && Array.isArray(value.Records);

const asStreamEvent = (value: unknown): DynamoDBStreamEvent => {
  if (!isStreamEvent(value)) throw new Error('not a stream event');
  return value;
};

const names = (count: number): string[] => Array.from({ length: count }, (_, index) => `${index + 1}`);

describe('a stream poller', () => {
  it('hands over empty maps and empty lists as Lambda does, instead of stopping the shard', async () => {
    const tableName = await createTable();
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { PK: { S: 'C#1' }, SK: { S: 'EV#empty' }, map: { M: {} }, list: { L: [] } },
      }),
    );
    const harness = await startPoller(tableName, () => undefined);
    await harness.poller.idle();
    expect(harness.events[0]?.Records[0]?.dynamodb?.NewImage).toMatchObject({
      map: { M: {} },
      list: { L: [] },
    });
    expect(await harness.deadLetters.list()).toEqual([]);
  });

  it('delivers only matching records, in write order, in batches of the batch size', async () => {
    const tableName = await createTable();
    await put(tableName, 'PROFILE');
    await putEvents(tableName, names(7));
    await put(tableName, 'MSG#hello');
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { PK: { S: 'C#1' }, SK: { S: 'EV#1' } },
        UpdateExpression: 'SET seen = :yes',
        ExpressionAttributeValues: { ':yes': { BOOL: true } },
      }),
    );
    const harness = await startPoller(tableName, () => ({ batchItemFailures: [] }), {
      mapping: { batchSize: 3 },
    });
    await harness.poller.idle();

    expect(harness.batches).toEqual([['1', '2', '3'], ['4', '5', '6'], ['7']]);
    expect(await harness.deadLetters.list()).toEqual([]);
  });

  it('holds a short batch for the batching window so records written apart arrive together', async () => {
    const tableName = await createTable();
    const harness = await startPoller(tableName, () => undefined, {
      mapping: { batchSize: 10, maxBatchingWindowSeconds: 1 },
    });

    await putEvents(tableName, ['1']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await putEvents(tableName, ['2']);
    await harness.poller.idle();

    expect(harness.batches).toEqual([['1', '2']]);
  });

  it('hands records over in the shape Lambda does', async () => {
    const tableName = await createTable();
    const harness = await startPoller(tableName, () => undefined);

    await put(tableName, 'EV#shape', { note: { S: 'hi' } });
    await harness.poller.idle();

    const record = harness.events[0]?.Records[0];
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      dynamodb: {
        Keys: { PK: { S: 'C#1' }, SK: { S: 'EV#shape' } },
        NewImage: { PK: { S: 'C#1' }, SK: { S: 'EV#shape' }, note: { S: 'hi' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(record?.eventSourceARN).toMatch(new RegExp(`table/${tableName}/stream/`));
    expect(typeof record?.eventID).toBe('string');
    expect(typeof record?.dynamodb?.SequenceNumber).toBe('string');
    expect(typeof record?.dynamodb?.SizeBytes).toBe('number');
    const created = record?.dynamodb?.ApproximateCreationDateTime ?? 0;
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(120);
  });

  describe('when the handler reports a failed record', () => {
    it('re-delivers from that record on, and never the records before it', async () => {
      const tableName = await createTable();
      let failedOnce = false;
      await putEvents(tableName, names(5));
      const harness = await startPoller(
        tableName,
        (records) => {
          const third = records.find((record) => nameOf(record) === '3');
          if (third === undefined || failedOnce) return { batchItemFailures: [] };
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: sequenceOf(third) }] };
        },
        { mapping: { batchSize: 5 } },
      );

      await harness.poller.idle();

      expect(harness.batches).toEqual([
        ['1', '2', '3', '4', '5'],
        ['3', '4', '5'],
      ]);
    });

    it('treats an identifier that is not in the batch as a failure of the whole batch', async () => {
      const tableName = await createTable();
      let calls = 0;
      await putEvents(tableName, names(2));
      const harness = await startPoller(
        tableName,
        () => {
          calls += 1;
          return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'no-such-record' }] } : undefined;
        },
        { mapping: { batchSize: 2, bisectBatchOnError: false } },
      );

      await harness.poller.idle();

      expect(harness.batches).toEqual([
        ['1', '2'],
        ['1', '2'],
      ]);
    });
  });

  describe('when the handler throws', () => {
    it('splits the batch in two and retries each half', async () => {
      const tableName = await createTable();
      await putEvents(tableName, names(4));
      const harness = await startPoller(
        tableName,
        (records) => {
          if (records.length > 1 && records.some((record) => nameOf(record) === '3'))
            throw new Error('cannot handle 3 with others');
        },
        { mapping: { batchSize: 4 } },
      );

      await harness.poller.idle();

      expect(harness.batches).toEqual([['1', '2', '3', '4'], ['1', '2'], ['3', '4'], ['3'], ['4']]);
      expect(await harness.deadLetters.list()).toEqual([]);
    });

    it('retries the whole batch when bisecting is off', async () => {
      const tableName = await createTable();
      let calls = 0;
      await putEvents(tableName, names(3));
      const harness = await startPoller(
        tableName,
        () => {
          calls += 1;
          if (calls === 1) return Promise.reject(new Error('transient'));
          return undefined;
        },
        { mapping: { batchSize: 3, bisectBatchOnError: false } },
      );

      await harness.poller.idle();

      expect(harness.batches).toEqual([
        ['1', '2', '3'],
        ['1', '2', '3'],
      ]);
    });
  });

  describe('a poison record', () => {
    it('ends in the dead-letter sink after its retries while the records around it get through', async () => {
      const tableName = await createTable();
      const handled: string[] = [];
      const harness = await startPoller(
        tableName,
        (records) => {
          if (records.some((record) => nameOf(record) === '2')) throw new Error('poison');
          handled.push(...records.map(nameOf));
        },
        { mapping: { batchSize: 4, retryAttempts: 2 } },
      );

      await putEvents(tableName, names(4));
      await harness.poller.idle();
      await putEvents(tableName, ['5']);
      await harness.poller.idle();

      expect(handled).toEqual(['1', '3', '4', '5']);
      const aloneAttempts = harness.batches.filter((batch) => batch.length === 1 && batch[0] === '2');
      expect(aloneAttempts).toHaveLength(3);
      const deadLetters = await harness.deadLetters.list();
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]).toMatchObject({
        functionName: 'recorder',
        redriveAs: 'stream-record',
        reason: expect.stringContaining('poison'),
      });
      const record: unknown = deadLetters[0]?.record;
      expect(record).toMatchObject({ dynamodb: { Keys: { SK: { S: 'EV#2' } } } });
    });

    it('ends in the dead-letter sink once it is older than the maximum record age', async () => {
      const tableName = await createTable();
      let clockOffsetMs = 0;
      const harness = await startPoller(
        tableName,
        (records) => {
          clockOffsetMs = 3_601_000;
          return { batchItemFailures: records.map((record) => ({ itemIdentifier: sequenceOf(record) })) };
        },
        {
          mapping: { retryAttempts: 10_000, maxRecordAgeSeconds: 3_600 },
          now: () => Date.now() + clockOffsetMs,
        },
      );

      await putEvents(tableName, ['old']);
      await harness.poller.idle();

      expect(harness.batches).toEqual([['old']]);
      expect(await harness.deadLetters.list()).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('maxRecordAgeSeconds') }),
      ]);
    });
  });

  describe('when a record was written longer ago than the maximum record age', () => {
    it('counts its age from its creation, as Lambda does: first read after an outage, it is dead-lettered unhandled', async () => {
      const tableName = await createTable();
      await putEvents(tableName, ['written-before-the-outage']);
      // The runtime comes back an hour and a minute later: the record is as old as its creation says.
      const harness = await startPoller(tableName, () => undefined, {
        mapping: { maxRecordAgeSeconds: 3_600 },
        now: () => Date.now() + 3_661_000,
      });

      await harness.poller.idle();

      expect(harness.batches).toEqual([]);
      expect(await harness.deadLetters.list()).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('maxRecordAgeSeconds') }),
      ]);
    });
  });

  describe('with checkpoints kept in a file', () => {
    it('resumes after the last handled record, so writes made while stopped are delivered once', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'rapport-checkpoints-'));
      cleanups.push(() => rm(folder, { recursive: true, force: true }));
      const file = join(folder, 'stream-checkpoints.json');
      const tableName = await createTable();

      const first = await startPoller(tableName, () => undefined, {
        checkpoints: await createFileCheckpointStore(file),
      });
      await putEvents(tableName, ['1', '2']);
      await first.poller.idle();
      await first.poller.stop();

      await putEvents(tableName, ['3']);
      await put(tableName, 'PROFILE');
      await putEvents(tableName, ['4']);
      const second = await startPoller(tableName, () => undefined, {
        checkpoints: await createFileCheckpointStore(file),
      });
      await second.poller.idle();

      expect(first.batches.flat()).toEqual(['1', '2']);
      expect(second.batches.flat()).toEqual(['3', '4']);
    });
  });
});
