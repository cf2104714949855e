import { BenchResult, commandLineOptions, findBenches } from './bench-run.js';

/**
 * Runs the benchmarks in this folder (each module exporting `run`, see
 * bench-run.ts), one after another, so they do not compete for the machine.
 * Each writes its own section of docs/benchmarks.md.
 *
 *   npm run bench                      every benchmark, full size
 *   npm run bench -- latency engine    only those named (file names without .ts)
 *   npm run bench -- --tiny --no-doc   each at its smoke size, docs/benchmarks.md left alone
 *
 * A benchmark that fails does not stop the others; the run then exits non-zero.
 */

const main = async (args: readonly string[]): Promise<number> => {
  const options = commandLineOptions(args);
  const named = args.filter((arg) => !arg.startsWith('--')).map((arg) => arg.replace(/\.ts$/, ''));
  const benches = await findBenches();
  const unknown = named.filter((name) => !benches.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(
      `no benchmark named ${unknown.join(', ')}; there are: ${benches.map((bench) => bench.name).join(', ')}`,
    );
    return 2;
  }
  const chosen = named.length === 0 ? benches : benches.filter((bench) => named.includes(bench.name));
  const failed: string[] = [];
  for (const bench of chosen) {
    console.log(`\n▶ ${bench.name}`);
    try {
      const result: unknown = await bench.run(options);
      if (!BenchResult.safeParse(result).success)
        console.warn(`${bench.name}: run(options) should resolve to { markdown, figures } (bench-run.ts)`);
    } catch (error) {
      console.error(
        `✖ ${bench.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      failed.push(bench.name);
    }
  }
  if (failed.length > 0) console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
};

process.exitCode = await main(process.argv.slice(2));
