import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { createDependencies } from '../../functions/composition-root.js';
import { deliveryDependencies, journeysDependencies } from '../../functions/handler-dependencies.js';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { oneMachineLoad, repoRoot } from '../../infra/local/local-stack.js';
import { toLambdaRecord } from '../../infra/local/stream-poller.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import {
  decodeContactEvent,
  decodeMessageRef,
  decodeOutboundEventRef,
} from '../../lib/adapters/dynamodb/stream-records.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { RecordingEventPublisher } from '../../lib/adapters/memory/recording-event-publisher.js';
import { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.js';
import { RecordingTexter } from '../../lib/adapters/memory/recording-texter.js';
import { VirtualClock } from '../../lib/adapters/memory/virtual-clock.js';
import { deliverMessage } from '../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../lib/app/fire-due-timers.js';
import { handleContactEvent } from '../../lib/app/handle-contact-event.js';
import { publishContent } from '../../lib/app/publish-content.js';
import { publishOutboundEvent } from '../../lib/app/publish-outbound-event.js';
import { RuntimeEnv } from '../../lib/config/runtime-env.js';
import { timing } from '../../lib/config/timing.js';
import { loadContent } from '../../lib/content/load-content.js';
import { minuteBucket } from '../../lib/ports/timer-store.js';
import { uniqueTableName } from './bench-run.js';
import { CapacityMeter, meteredClient, type Usage } from './capacity-meter.js';

/**
 * The deployment's own wiring (functions/composition-root.ts) on a fresh
 * DynamoDB Local, with every request metered (capacity-meter.ts), and the
 * table's stream followed as Lambda's pollers follow it: each INSERT of an
 * event goes to what the `journeys` function runs, of a message to what
 * `deliver` runs, of an outbound event to what `publish-events` runs. SES, SNS
 * and EventBridge are recorders. Time is a virtual clock the benchmark moves,
 * so waits of days end at once; the `tick` is run when the benchmark says.
 *
 * Every use case is one "invocation": its function, the capacity it used and
 * how long it took on this machine.
 */

export type FunctionName =
  | 'signup'
  | 'confirm'
  | 'ingest'
  | 'journeys'
  | 'deliver'
  | 'publish-events'
  | 'tick'
  | 'journey-jobs';

export interface Invocation {
  fn: FunctionName;
  usage: Usage;
  ms: number;
  /** The stream record's item, for a stream consumer. */
  key?: { PK: string; SK: string };
}

export const benchTable = 'bench-work-units';
export const benchTokenKeys = { current: 'bench', bench: 'b'.repeat(40) };

/** A table stream read from where the last read stopped, shard by shard (DynamoDB Local has one or a few). */
const followStream = async (endpoint: string, streamArn: string) => {
  const streams = new DynamoDBStreamsClient({ endpoint, region: localRegion, credentials: localCredentials });
  const iterators = new Map<string, string | undefined>();
  const read = async (): Promise<DynamoDBRecord[]> => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (shardId === undefined) continue;
      if (!iterators.has(shardId)) {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        iterators.set(shardId, ShardIterator);
      }
      let iterator = iterators.get(shardId);
      while (iterator !== undefined) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const batch = page.Records ?? [];
        records.push(...batch.map((record) => toLambdaRecord(record, streamArn, localRegion)));
        iterator = page.NextShardIterator;
        iterators.set(shardId, iterator);
        if (batch.length === 0) break;
      }
    }
    return records;
  };
  return { read, stop: () => streams.destroy() };
};

export interface UnitWorldOptions {
  /**
   * A DynamoDB Local already running: the world makes a table of its own there and
   * removes it when stopped. Without it, the world starts (and stops) its own.
   */
  dynamoEndpoint?: string;
}

export const startUnitWorld = async (start: Date, options: UnitWorldOptions = {}) => {
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = options.dynamoEndpoint ?? own?.endpoint ?? '';
  const tableName = own === undefined ? uniqueTableName(benchTable) : benchTable;
  const meter = new CapacityMeter();
  const metered = meteredClient(endpoint, meter);
  const plain = createDynamoDbClient({ region: localRegion, endpoint, credentials: localCredentials });
  await createTableIfMissing(plain, tableName);
  const { Table } = await plain.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn === undefined) throw new Error(`table ${tableName} has no stream`);
  const stream = await followStream(endpoint, Table.LatestStreamArn);

  const clock = new VirtualClock(start);
  const env = RuntimeEnv.parse({
    TABLE_NAME: tableName,
    AWS_REGION: localRegion,
    PUBLIC_BASE_URL: 'https://rapport.example',
    SENDER_EMAIL: '"Rapport Books" <news@rapport.example>',
    POSTAL_ADDRESS: '1 Bench Street, Berlin',
    ALLOWED_ORIGINS: 'https://shop.example',
    TOKEN_KEYS: JSON.stringify(benchTokenKeys),
    // Every signup comes from one address here; the account's send rate stays as deployed, so its
    // write per email is counted.
    SIGNUP_LIMIT_PER_IP: oneMachineLoad.SIGNUP_LIMIT_PER_IP,
  });
  /** What the functions use: every request metered. */
  const d = createDependencies(env, { clock, documentClient: documentClientFor(metered.client) });
  /** The same wiring unmetered: the benchmark's own setup and reads. */
  const setup = createDependencies(env, { clock, documentClient: documentClientFor(plain) });

  await publishContent(
    {
      journeys: setup.journeys,
      templates: setup.templates,
      policies: setup.deliveryPolicies,
      jobs: setup.journeyJobs,
      ids: setup.ids,
      clock,
    },
    await loadContent(repoRoot),
  );

  const mailer = new RecordingMailer(clock);
  const texter = new RecordingTexter(clock);
  const publisher = new RecordingEventPublisher();
  // As functions/stream/journeys.ts wires it.
  // Wired as the functions wire them, with SES and SNS recorded instead of called.
  const journeyDeps = journeysDependencies(d);
  const delivery = deliveryDependencies(d, { mailer, texter });

  const invocations: Invocation[] = [];
  meter.take();
  /** Runs one function's use case, metered and timed. */
  const invoke = async <T>(
    fn: FunctionName,
    work: () => Promise<T>,
    key?: { PK: string; SK: string },
  ): Promise<T> => {
    meter.take();
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    invocations.push({ fn, usage: meter.take(), ms, ...(key === undefined ? {} : { key }) });
    return result;
  };

  const keyOf = (record: DynamoDBRecord) => ({
    PK: record.dynamodb?.Keys?.PK?.S ?? '',
    SK: record.dynamodb?.Keys?.SK?.S ?? '',
  });

  /** Hands every new stream record to its consumer, as Lambda would, until the stream is quiet. */
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 100; round += 1) {
      const inserts = (await stream.read()).filter((record) => record.eventName === 'INSERT');
      if (inserts.length === 0) return;
      for (const record of inserts) {
        const key = keyOf(record);
        if (key.SK.startsWith('EV#'))
          await invoke('journeys', () => handleContactEvent(journeyDeps, decodeContactEvent(record)), key);
        else if (key.SK.startsWith('MSG#'))
          await invoke(
            'deliver',
            async () =>
              deliverMessage(
                {
                  ...delivery.deps,
                  settings: { ...delivery.settings, tokenKeys: await delivery.tokenKeys() },
                },
                decodeMessageRef(record),
              ),
            key,
          );
        else if (key.SK.startsWith('OUT#'))
          await invoke(
            'publish-events',
            () =>
              publishOutboundEvent(
                { events: d.outboundEvents, publisher, clock },
                decodeOutboundEventRef(record),
              ),
            key,
          );
      }
    }
    throw new Error('the stream did not settle in 100 rounds');
  };
  // The setup's own writes (content, catalog) are not the work measured.
  const discardStream = async () => {
    while ((await stream.read()).length > 0);
  };

  /**
   * The tick at `at`, over the buckets from `from` on only (the cursor is put just before it), as
   * a tick running every minute would find them: it reads them and fires what is due, and moves
   * the cursor past nothing that has not settled.
   */
  const tick = async (at: Date, from: Date) => {
    clock.set(at);
    const current = await setup.timers.readCursor();
    const drainedThrough = minuteBucket(new Date(from.getTime() - 60_000));
    if (current?.drainedThrough !== drainedThrough)
      await setup.timers.advanceCursor(current, { drainedThrough, shards: env.TIMER_SHARDS });
    return invoke('tick', () =>
      fireDueTimers({ timers: d.timers }, clock.now(), {
        shards: env.TIMER_SHARDS,
        settleSeconds: timing.tick.settleSeconds,
      }),
    );
  };

  return {
    /** The world's table: work-units.ts reads items back from it. */
    tableName,
    env,
    clock,
    d,
    setup,
    plain,
    mailer,
    texter,
    publisher,
    invocations,
    invoke,
    settle,
    discardStream,
    tick,
    stop: async () => {
      stream.stop();
      metered.destroy();
      if (own === undefined)
        await plain.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      plain.destroy();
      await own?.stop();
    },
  };
};

export type UnitWorld = Awaited<ReturnType<typeof startUnitWorld>>;
