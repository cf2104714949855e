import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const benchmarksDoc = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

const header = `# Benchmarks

Measured with \`npm run bench\` (each benchmark can also run alone, e.g.
\`npx tsx scripts/bench/drain-timers.ts\`). These are measurements on one
machine against the local stack, not guarantees and not tests; each section is
rewritten by its benchmark and the others are kept.
`;

const markers = (name: string) => ({
  start: `<!-- bench:${name}:start -->`,
  end: `<!-- bench:${name}:end -->`,
});

/** Replaces the benchmark's section in docs/benchmarks.md (or appends it), keeping every other section. */
export const writeBenchmarkSection = async (name: string, markdown: string): Promise<void> => {
  let current: string;
  try {
    current = await readFile(benchmarksDoc, 'utf8');
  } catch {
    current = header;
  }
  const { start, end } = markers(name);
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(benchmarksDoc, next);
};
