import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  bundleFileName,
  esbuildOptionsFor,
  lambdaNodeOptions,
} from '../../infra/cloud/constructs/function-bundling.js';
import { localCredentials, localRegion } from '../../infra/local/dynamodb-local.js';
import { localEventBusName, localTableName, repoRoot } from '../../infra/local/local-stack.js';
import { type FunctionSpec, topology } from '../../infra/topology.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
  sizeOf,
} from './bench-run.js';
import { machineRows, recordMachine } from './machine-facts.js';

/**
 * What a cold start costs each function: its bundle, built as the CDK builds it (the
 * settings of infra/cloud/constructs/function-bundling.ts), and the time a fresh Node
 * process takes to import it, which runs the handler module, its middleware and the
 * composition root, as Lambda's init does.
 */

/** deliver's target: a bundle under this, or an init under `initTargetMs`. */
const bundleTargetBytes = 1.5 * 1024 * 1024;
const initTargetMs = 300;

/** Inside the repository, so the bundles find the AWS SDK in node_modules as Lambda's runtime provides it. */
const bundleFolder = join(repoRoot, 'node_modules', '.cache', 'rapport', 'cold-start');

/** deliver as it was before templates were compiled when published: MJML loaded at cold start. */
const withMjml = { name: 'deliver, rendering MJML at send (before)', entry: 'deliver-with-mjml.ts' };

/**
 * What the handlers get, as the local runtime gives it (infra/local/local-stack.ts): its
 * table, region and credentials, endpoints on this machine (nothing is called at init),
 * its settings, and Lambda's NODE_OPTIONS. Nothing from the caller's AWS setup.
 */
const handlerEnvironment = (): NodeJS.ProcessEnv => {
  const {
    TOKEN_KEYS_SECRET_ARN: _secret,
    AWS_SESSION_TOKEN: _session,
    NODE_OPTIONS: _node,
    ...developer
  } = process.env;
  const local = 'http://127.0.0.1:9';
  return {
    ...developer,
    TABLE_NAME: localTableName,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    DYNAMODB_ENDPOINT: local,
    SES_ENDPOINT: local,
    SNS_ENDPOINT: local,
    EVENTBRIDGE_ENDPOINT: local,
    EVENT_BUS_NAME: localEventBusName,
    PUBLIC_BASE_URL: local,
    SENDER_EMAIL: 'Rapport <hello@rapport.local>',
    POSTAL_ADDRESS: 'Rapport Example Ltd, 1 Example Street, Springfield 12345',
    ALLOWED_ORIGINS: local,
    TOKEN_KEYS: JSON.stringify({ current: 'k1', k1: randomBytes(24).toString('base64url') }),
    CONTENT_ROOT: repoRoot,
    POWERTOOLS_SERVICE_NAME: 'rapport',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'Rapport',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    NODE_OPTIONS: lambdaNodeOptions,
  };
};

/** Imports the bundle and reports how long the import took: everything Lambda's init runs of ours. */
const probe = `
const started = performance.now();
await import(process.argv[1]);
const initMs = performance.now() - started;
process.stdout.write(JSON.stringify({ initMs }), () => process.exit(0));
`;

const run$ = promisify(execFile);

const coldInitMs = async (bundle: string, env: NodeJS.ProcessEnv): Promise<number> => {
  const { stdout } = await run$(
    process.execPath,
    ['--input-type=module', '-e', probe, pathToFileURL(bundle).href],
    { env, cwd: repoRoot, maxBuffer: 1024 * 1024 },
  );
  const reported: unknown = JSON.parse(stdout);
  const initMs =
    typeof reported === 'object' && reported !== null && 'initMs' in reported ? reported.initMs : undefined;
  if (typeof initMs !== 'number') throw new Error(`the probe of ${bundle} said ${stdout}`);
  return initMs;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

interface Measured {
  name: string;
  bytes: number;
  gzipped: number;
  mapBytes: number;
  initMs: number;
  minMs: number;
  maxMs: number;
}

const bundleAndStart = async (
  name: string,
  entry: string,
  starts: number,
  env: NodeJS.ProcessEnv,
): Promise<Measured> => {
  const folder = join(bundleFolder, name.replace(/[^a-z0-9-]+/g, '-'));
  const bundle = join(folder, bundleFileName);
  await build({ ...esbuildOptionsFor(entry, bundle), logLevel: 'error' });
  const code = await readFile(bundle);
  const times: number[] = [];
  // One after another: a start competing with another for the CPU would measure the competition.
  for (let index = 0; index < starts; index += 1) times.push(await coldInitMs(bundle, env));
  return {
    name,
    bytes: code.length,
    gzipped: gzipSync(code).length,
    mapBytes: (await stat(`${bundle}.map`)).size,
    initMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
};

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
const kilobytes = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
const ms = (value: number): string => `${Math.round(value)} ms`;

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const starts = setting(options, 'BENCH_COLD_STARTS', 7, 1);
  const tiny = sizeOf(options) === 'tiny';
  const specs: readonly FunctionSpec[] = tiny
    ? topology.filter((spec) => spec.name === 'deliver' || spec.name === 'publish-events')
    : topology;
  const env = handlerEnvironment();
  await mkdir(bundleFolder, { recursive: true });
  const beforeEntry = join(bundleFolder, withMjml.entry);
  await writeFile(
    beforeEntry,
    `export * from '${join(repoRoot, 'functions/stream/deliver.ts')}';\nimport 'mjml';\n`,
  );

  const machine = recordMachine();
  const measured: Measured[] = [];
  for (const spec of specs) {
    console.log(`${spec.name}: bundling, then ${starts} cold start${starts === 1 ? '' : 's'}…`);
    measured.push(await bundleAndStart(spec.name, join(repoRoot, spec.entry), starts, env));
  }
  console.log(`${withMjml.name}: bundling, then ${starts} cold start${starts === 1 ? '' : 's'}…`);
  const before = await bundleAndStart(withMjml.name, beforeEntry, starts, env);
  const facts = machine.finish();

  const deliver = measured.find((entry) => entry.name === 'deliver');
  if (deliver === undefined) throw new Error('the topology has no deliver function');
  const met = deliver.bytes < bundleTargetBytes || deliver.initMs < initTargetMs;
  const row = (entry: Measured, bold = false): string => {
    const cells = [
      entry.name,
      megabytes(entry.bytes),
      kilobytes(entry.gzipped),
      megabytes(entry.mapBytes),
      ms(entry.initMs),
      `${ms(entry.minMs)}–${ms(entry.maxMs)}`,
    ];
    return `| ${cells.map((cell) => (bold ? `**${cell}**` : cell)).join(' | ')} |`;
  };
  const rows = [...measured]
    .sort((a, b) => b.bytes - a.bytes)
    .map((entry) => row(entry, entry.name === 'deliver'))
    .join('\n');

  const markdown = `## Cold start

\`scripts/bench/cold-start.ts\`: every function of \`infra/topology.ts\`${tiny ? ' (two, at the tiny size)' : ''}, bundled as the CDK
bundles it (esbuild with the settings of \`infra/cloud/constructs/function-bundling.ts\`; \`test/infra/function-bundles.test.ts\`
checks the result is the CDK's asset byte for byte), then started ${starts} time${starts === 1 ? '' : 's'} in a fresh \`node\`
process that imports the bundle: the handler module, its middleware and the composition root, which Lambda runs at
init. The environment is the local runtime's, with Lambda's \`NODE_OPTIONS\` (\`${lambdaNodeOptions}\`, so the source map is
read at init too); the AWS SDK comes from \`node_modules\`, as Lambda's runtime provides it. A time is the import alone
(the median, and the range): Node's own start and Lambda's are not in it, and neither is X-Ray's instrumentation.

| | |
|---|---|
| **deliver's target** | under ${megabytes(bundleTargetBytes)} or under ${initTargetMs} ms init: **${met ? 'met' : 'not met'}** (${megabytes(deliver.bytes)}, ${ms(deliver.initMs)}) |
| deliver before, rendering MJML at send | ${megabytes(before.bytes)}, ${ms(before.initMs)} (the same handler with MJML imported, as it was) |
${machineRows(facts)}

| function | bundle | gzipped | source map | cold init (median) | range |
|---|---|---|---|---|---|
${rows}
| ${before.name} | ${megabytes(before.bytes)} | ${kilobytes(before.gzipped)} | ${megabytes(before.mapBytes)} | ${ms(before.initMs)} | ${ms(before.minMs)}–${ms(before.maxMs)} |

Templates are compiled from MJML to HTML when they are published (\`lib/templates/compile-email.ts\`), so deliver renders
Liquid alone and its bundle holds no MJML; the functions that compile (the admin API's templates, the content seed) still
carry it. Run it alone with \`npx tsx scripts/bench/cold-start.ts\`; \`BENCH_COLD_STARTS\` sets the starts per function.
`;
  return finish(options, 'cold-start', markdown, {
    'deliver bundle bytes': deliver.bytes,
    'deliver init ms': deliver.initMs,
    'deliver before, bundle bytes': before.bytes,
    'deliver before, init ms': before.initMs,
    functions: measured.length,
  });
};

if (isCommandLine(import.meta.url)) await runAlone(run);
