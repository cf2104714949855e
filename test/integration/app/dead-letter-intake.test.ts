import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { streamFunctions } from '../../../infra/topology.js';
import { DynamoDeadLetterStore } from '../../../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { DynamoStreamRangeReader } from '../../../lib/adapters/dynamodb/stream-range-reader.js';
import { MemoryDeadLetterQueues } from '../../../lib/adapters/memory/memory-dead-letter-queues.js';
import { SystemClock } from '../../../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { type IntakeDeps, takeInDeadLetters } from '../../../lib/app/take-in-dead-letters.js';
import { subjectOf } from '../../../lib/domain/dead-letter.js';
import { compileFilters } from '../../../lib/domain/filter-pattern.js';
import { readStreamRecords } from '../support/stream.js';
import { createTestTable, type TestTable } from '../support/table.js';

/**
 * The intake against DynamoDB Local's stream: what a stream mapping's on-failure
 * destination receives names a run of a shard, not its records, so the intake
 * reads them back; what an asynchronous function's queue receives is the event.
 * The queues are kept in memory (there is no SQS to run here), as AWS fills them.
 */

const streamQueue = 'https://sqs.us-east-1.amazonaws.com/123456789012/StreamsDeadLetterQueue';
const feedbackQueue = 'https://sqs.us-east-1.amazonaws.com/123456789012/SesFeedbackDeadLetterQueue';
const deployedJourneys = 'Rapport-FunctionsJourneysFunction1A2B3C-Xy9';

const filters = new Map(streamFunctions().map((spec) => [spec.name, compileFilters(spec.trigger.filters)]));

let table: TestTable;
let streamArn: string;
let shardId: string;
const sequenceOf = new Map<string, string>();

beforeAll(async () => {
  table = await createTestTable({ stream: true });
  for (const sortKey of ['EV#first', 'MSG#between', 'EV#second']) {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.contact('c1'), SK: sortKey, type: sortKey.startsWith('EV#') ? 'event' : 'message' },
      }),
    );
  }
  for (const record of await readStreamRecords(table))
    sequenceOf.set(record.dynamodb?.Keys?.SK?.S ?? '', record.dynamodb?.SequenceNumber ?? '');
  const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  streamArn = Table?.LatestStreamArn ?? '';
  const streams = new DynamoDBStreamsClient({
    endpoint: table.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  streams.destroy();
  shardId = StreamDescription?.Shards?.[0]?.ShardId ?? '';
});

afterAll(() => {
  table?.client.destroy();
});

let queues: MemoryDeadLetterQueues;
let deps: IntakeDeps;
let store: DynamoDeadLetterStore;

beforeEach(async () => {
  queues = new MemoryDeadLetterQueues();
  store = new DynamoDeadLetterStore(table.documentClient, table.tableName);
  for (const letter of (await store.list(100)).deadLetters) await store.remove(letter.id);
  deps = {
    deadLetters: store,
    clock: new SystemClock(),
    ids: new UlidIdGenerator(),
    queues,
    stream: new DynamoStreamRangeReader({
      endpoint: table.endpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
    settings: {
      queues: [{ url: streamQueue }, { url: feedbackQueue, functionName: 'ses-feedback' }],
      functionNames: { journeys: deployedJourneys, deliver: 'Rapport-FunctionsDeliverFunction4D5E6F-Ab1' },
      receives: (functionName, record) => filters.get(functionName)?.(record) ?? false,
      budgetMs: 30_000,
    },
  };
});

/** What the journeys mapping sends its on-failure destination for a batch from `from` to `to`. */
const batchFailure = (from: string, to: string, overrides: { functionArn?: string; shardId?: string } = {}) =>
  JSON.stringify({
    requestContext: {
      requestId: 'c9b8a7f6-0000-4000-8000-000000000001',
      functionArn:
        overrides.functionArn ?? `arn:aws:lambda:us-east-1:123456789012:function:${deployedJourneys}`,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-23T12:05:00.000Z',
    DDBStreamBatchInfo: {
      shardId: overrides.shardId ?? shardId,
      startSequenceNumber: sequenceOf.get(from),
      endSequenceNumber: sequenceOf.get(to),
      approximateArrivalOfFirstRecord: '2026-11-23T12:00:00Z',
      approximateArrivalOfLastRecord: '2026-11-23T12:00:01Z',
      batchSize: 2,
      streamArn,
    },
  });

const kept = async () => (await store.list(100)).deadLetters;
const subjects = async () => (await kept()).map((letter) => subjectOf(letter.redriveAs, letter.record));

describe('a failed stream batch on the stream mappings’ queue', () => {
  it('becomes a dead letter per record the function was handed, read back from the stream as Lambda hands it', async () => {
    queues.send(streamQueue, { messageId: 'm1', body: batchFailure('EV#first', 'EV#second') });

    const [intake] = await takeInDeadLetters(deps);

    expect(intake).toEqual({ url: streamQueue, taken: 1, deadLetters: 2, left: [] });
    expect(await subjects()).toEqual(['C#c1 EV#first', 'C#c1 EV#second']);
    const streamed = (await readStreamRecords(table)).filter((record) =>
      record.dynamodb?.Keys?.SK?.S?.startsWith('EV#'),
    );
    expect((await kept()).map((letter) => letter.record)).toEqual(streamed);
    expect((await kept())[0]).toMatchObject({
      functionName: 'journeys',
      redriveAs: 'stream-record',
      reason:
        "RetryAttemptsExhausted: the stream mapping gave up after its retries after 4 invocations (Unhandled); the function's log holds the error",
    });
    expect(queues.held(streamQueue)).toEqual([]);
  });

  it('says the stream no longer holds a batch it cannot read back, naming where it was', async () => {
    queues.send(streamQueue, {
      messageId: 'm2',
      body: batchFailure('EV#first', 'EV#second', { shardId: 'shardId-00000001700000000000-gone0000' }),
    });

    await takeInDeadLetters(deps);

    expect(await kept()).toEqual([
      expect.objectContaining({
        functionName: 'journeys',
        recordMissing: expect.stringMatching(
          /^the stream no longer holds sequence numbers \d+ to \d+ of shardId-00000001700000000000-gone0000 \(it keeps records 24 hours\); 2 records failed$/,
        ),
      }),
    ]);
    expect((await kept())[0]).not.toHaveProperty('record');
  });

  it('leaves a batch of a function it does not know on the queue, saying why', async () => {
    queues.send(streamQueue, {
      messageId: 'm3',
      body: batchFailure('EV#first', 'EV#second', {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:SomeoneElsesFunction',
      }),
    });

    const [intake] = await takeInDeadLetters(deps);

    expect(intake?.left).toEqual(['SomeoneElsesFunction is no function this deployment redrives']);
    expect(await kept()).toEqual([]);
    expect(queues.held(streamQueue)).toHaveLength(1);
  });
});

describe('an asynchronous function’s queue', () => {
  const notification = {
    Type: 'Notification',
    MessageId: 'f3f1c9e0-0000-4000-8000-000000000002',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:Rapport-SesFeedbackTopic',
    Message: '{"eventType":"Bounce"}',
    Timestamp: '2026-11-23T12:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'c2ln',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  };

  it('keeps an event Lambda gave up on as it is, with the error Lambda names', async () => {
    const event = { Records: [{ EventSource: 'aws:sns', Sns: { ...notification } }] };
    queues.send(feedbackQueue, {
      messageId: 'm4',
      body: JSON.stringify(event),
      attributes: { ErrorCode: '200', ErrorMessage: 'ConcurrentUpdateError: the contact moved on' },
    });

    await takeInDeadLetters(deps);

    expect(await kept()).toEqual([
      expect.objectContaining({
        functionName: 'ses-feedback',
        redriveAs: 'event',
        record: event,
        reason: 'ConcurrentUpdateError: the contact moved on (200)',
      }),
    ]);
  });

  it('makes a message SNS could not hand over into the event the function would have received', async () => {
    queues.send(feedbackQueue, { messageId: 'm5', body: JSON.stringify(notification) });

    await takeInDeadLetters(deps);

    expect(await kept()).toEqual([
      expect.objectContaining({
        functionName: 'ses-feedback',
        reason: 'SNS could not hand the message to the function',
        record: {
          Records: [
            expect.objectContaining({
              EventSource: 'aws:sns',
              Sns: expect.objectContaining({
                MessageId: notification.MessageId,
                Message: notification.Message,
                SigningCertUrl: notification.SigningCertURL,
              }),
            }),
          ],
        },
      }),
    ]);
  });

  it('leaves a message that is no JSON on the queue', async () => {
    queues.send(feedbackQueue, { messageId: 'm6', body: 'not json' });

    const intakes = await takeInDeadLetters(deps);

    expect(intakes.find((intake) => intake.url === feedbackQueue)?.left).toEqual([
      'message m6 is not a JSON object',
    ]);
    expect(queues.held(feedbackQueue)).toHaveLength(1);
  });
});
