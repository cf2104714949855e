import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs every benchmark in this folder (each module exporting `run`), one after
 * another, so they do not compete for the machine. Each writes its own section of
 * docs/benchmarks.md.
 */

const folder = fileURLToPath(new URL('.', import.meta.url));
const helpers = new Set(['run-all.ts', 'benchmarks-doc.ts', 'bench-settings.ts']);

const files = (await readdir(folder)).filter((file) => file.endsWith('.ts') && !helpers.has(file)).sort();
for (const file of files) {
  const loaded: unknown = await import(pathToFileURL(`${folder}${file}`).href);
  const run = typeof loaded === 'object' && loaded !== null && 'run' in loaded ? loaded.run : undefined;
  if (typeof run !== 'function') continue;
  console.log(`\n▶ ${file}`);
  await run();
}
