import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { JavaMissingError } from '../../infra/local/dynamodb-local.js';
import {
  ephemeralPorts,
  type LocalStack,
  oneMachineLoad,
  startLocalStack,
} from '../../infra/local/local-stack.js';
import { AdminApiError } from '../../lib/cli/admin-client.js';
import { DemoRequestError, demoClient } from './demo-client.js';
import { DemoClock } from './demo-clock.js';
import { DemoFailedError } from './demo-context.js';
import { demoChecks, demoReport, timingReport } from './demo-report.js';
import { demoShop } from './demo-shop.js';
import { runDemo } from './run-demo.js';

/**
 * `npm run demo`: starts the whole local system in this process, runs a small
 * shop through it (a catalog, signups, a year of orders, a book launch), and
 * prints what the system did. `--contacts N` (default 300) sizes the shop,
 * `--seed N` (default 42) picks another, equally repeatable, one.
 */

const usage = 'usage: npm run demo -- [--contacts 10..5000] [--seed <whole number>]';

const Options = z.object({
  contacts: z.coerce.number().int().min(10).max(5_000).default(300),
  seed: z.coerce.number().int().min(0).max(4_294_967_295).default(42),
});

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const optionsFrom = (argv: string[]): z.infer<typeof Options> => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { contacts: { type: 'string' }, seed: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  const parsed = Options.safeParse(values);
  if (!parsed.success) throw new UsageError(`${z.prettifyError(parsed.error)}\n${usage}`);
  return parsed.data;
};

const main = async (): Promise<number> => {
  const options = optionsFrom(process.argv.slice(2));
  const timings: Array<[string, number]> = [];
  let mark = performance.now();
  // Progress lines while the demo runs; once the report is out, phases are only timed.
  let showProgress = true;
  const phase = (label: string) => {
    const now = performance.now();
    timings.push([label, now - mark]);
    if (showProgress) console.log(`  ${label} (${((now - mark) / 1000).toFixed(1)} s)`);
    mark = now;
  };

  console.log(
    `Starting the local stack for a demo shop of ${options.contacts} people (seed ${options.seed})…`,
  );
  let stack: LocalStack | undefined;
  const clock = new DemoClock();
  const stopOnSignal = () => {
    console.error('\nInterrupted: stopping the local stack…');
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    // Free ports, so a running `npm start` is no obstacle; schedules only when the demo ticks, so it knows
    // when the system has settled; the demo's clock, so it can let a campaign's send time come.
    stack = await startLocalStack({
      ...ephemeralPorts,
      quiet: true,
      periodicSchedules: false,
      adminToken: randomBytes(24).toString('base64url'),
      clock,
      // The tick reads every minute bucket of the hours the demo lets pass, once per timer shard; a small
      // shop's timers fit one partition, and eight would make those reads eight times as many.
      // A shop of a few hundred people has fewer than the 200 repeat customers a deployment waits for
      // before it trusts the fitted value models; the demo fits them from 50 to show them.
      env: { TIMER_SHARDS: '1', VALUE_MODEL_MIN_REPEAT_CUSTOMERS: '50', ...oneMachineLoad },
    });
    phase('start the local stack and load journeys and templates');
    const now = clock.now();
    const findings = await runDemo({
      stack,
      client: demoClient(stack),
      shop: demoShop({ contacts: options.contacts, seed: options.seed, now }),
      clock,
      seed: options.seed,
      now,
      phase,
    });
    const checks = demoChecks(findings);
    console.log(demoReport(findings, { seed: options.seed, checks }));
    showProgress = false;
    await stack.stop();
    phase('stop the local stack');
    console.log(timingReport(timings));
    const failed = checks.filter((check) => !check.ok);
    if (failed.length > 0) {
      console.error(`The demo ran, but ${failed.length} of its checks failed (marked FAIL above).`);
      return 1;
    }
    return 0;
  } finally {
    await stack?.stop();
  }
};

const explain = (error: unknown): string => {
  if (
    error instanceof UsageError ||
    error instanceof JavaMissingError ||
    error instanceof DemoFailedError ||
    error instanceof DemoRequestError ||
    error instanceof AdminApiError
  )
    return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
};

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`\nThe demo failed: ${explain(error)}\n`);
    process.exit(1);
  });
