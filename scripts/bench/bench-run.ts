import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { writeBenchmarkSection } from './benchmarks-doc.js';

/**
 * What every benchmark in this folder is: a module exporting
 * `run(options?: BenchOptions): Promise<BenchResult>`. `npm run bench` runs
 * them one after another, and the integration tier's smoke test runs each at
 * its tiny size so none can rot.
 */

export const BenchSize = z.enum(['tiny', 'full']);
export type BenchSize = z.infer<typeof BenchSize>;

export const BenchOptions = z.object({
  /** `full` (default): the documented measurement. `tiny`: the same code paths in seconds, for the smoke test. */
  size: BenchSize.optional(),
  /** Write the benchmark's section of docs/benchmarks.md (default true). */
  writeDoc: z.boolean().optional(),
  /**
   * A DynamoDB Local already running, used instead of starting one: the bench makes
   * tables of its own there and removes them. (The local stack always starts its own.)
   */
  dynamoEndpoint: z.string().optional(),
});
export type BenchOptions = z.infer<typeof BenchOptions>;

export const BenchResult = z.object({
  /** The section as written (or as it would be written) to docs/benchmarks.md. */
  markdown: z.string().min(1),
  /** The headline measurements by name, each a number above zero when the bench worked. */
  figures: z.record(z.string(), z.number()),
});
export type BenchResult = z.infer<typeof BenchResult>;

export const sizeOf = (options: BenchOptions): BenchSize => options.size ?? 'full';

/**
 * A whole-number setting: the environment's value if set (so one full run can be
 * reshaped), else the size's default; anything else stops the run.
 */
export const setting = (options: BenchOptions, name: string, full: number, tiny: number): number => {
  const raw = process.env[name];
  const fallback = sizeOf(options) === 'tiny' ? tiny : full;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number ≥ 1, not "${raw}"`);
  return value;
};

/** Writes the section unless told not to, and hands back what the bench measured. */
export const finish = async (
  options: BenchOptions,
  section: string,
  markdown: string,
  figures: Record<string, number>,
): Promise<BenchResult> => {
  if (options.writeDoc ?? true) await writeBenchmarkSection(section, markdown);
  return { markdown, figures };
};

/** A table name no other bench or test on a shared DynamoDB Local uses. */
export const uniqueTableName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Whether the module at `url` is the script node was started with (`npx tsx scripts/bench/x.ts`). */
export const isCommandLine = (url: string): boolean =>
  process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;

/** What `npx tsx scripts/bench/x.ts [--tiny] [--no-doc]` asks for. */
export const commandLineOptions = (args: readonly string[] = process.argv.slice(2)): BenchOptions => ({
  size: args.includes('--tiny') ? 'tiny' : 'full',
  writeDoc: !args.includes('--no-doc'),
});

/** Runs a bench started from the command line with what it was asked for, and prints its section. */
export const runAlone = async (run: (options: BenchOptions) => Promise<BenchResult>): Promise<void> => {
  const result = await run(commandLineOptions());
  console.log(`\n${result.markdown}`);
};

export interface Bench {
  /** The file's name without `.ts`: what `npm run bench -- <name>` selects. */
  name: string;
  /** The module's `run`, as exported: check what it resolves to with `benchResultOf`. */
  run: (options: BenchOptions) => Promise<unknown>;
}

/** What a bench's `run` resolved to, if it kept the contract above; otherwise an error that says so. */
export const benchResultOf = (name: string, result: unknown): BenchResult => {
  const parsed = BenchResult.safeParse(result);
  if (!parsed.success)
    throw new Error(
      `${name}: run(options) must resolve to { markdown, figures } (scripts/bench/bench-run.ts), not ${typeof result}`,
    );
  return parsed.data;
};

const folder = fileURLToPath(new URL('.', import.meta.url));
/** Not benchmarks: the runner itself (importing it would run everything again). */
const notBenches = new Set(['run-all.ts']);

/** Every module in this folder that exports `run`, by name. */
export const findBenches = async (): Promise<Bench[]> => {
  const files = (await readdir(folder))
    .filter((file) => file.endsWith('.ts') && !notBenches.has(file))
    .sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const loaded: unknown = await import(pathToFileURL(`${folder}${file}`).href);
    const run = typeof loaded === 'object' && loaded !== null && 'run' in loaded ? loaded.run : undefined;
    if (typeof run !== 'function') continue;
    benches.push({
      name: file.replace(/\.ts$/, ''),
      run: async (options) => {
        const result: unknown = await run(options);
        return result;
      },
    });
  }
  return benches;
};
