import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { benchResultOf, findBenches } from '../../../scripts/bench/bench-run.js';
import { benchmarksDoc } from '../../../scripts/bench/benchmarks-doc.js';
import '../support/provided-context.js';

/**
 * Every benchmark in scripts/bench (any module there exporting `run`) at its
 * tiny size, so none can rot unnoticed: each must finish and report its figures,
 * every one a measurement above zero, and leave docs/benchmarks.md alone.
 * They run one after another, as `npm run bench` runs them, on the tier's
 * DynamoDB Local (the ones that need the whole local stack start their own).
 */

const benches = await findBenches();
const docBefore = await readFile(benchmarksDoc, 'utf8');

describe('the benchmarks at their tiny size', () => {
  it('finds the benchmarks the runner runs', () => {
    expect(benches.map((bench) => bench.name)).toEqual(
      expect.arrayContaining([
        'campaigns',
        'ceiling',
        'drain-timers',
        'engine',
        'growth',
        'ingestion',
        'latency',
      ]),
    );
  });

  it.each(benches)(
    '$name finishes and reports figures above zero',
    async (bench) => {
      const result = benchResultOf(
        bench.name,
        await bench.run({ size: 'tiny', writeDoc: false, dynamoEndpoint: inject('dynamodbEndpoint') }),
      );
      expect(result.markdown).toMatch(/^## /);
      const figures = Object.entries(result.figures);
      expect(figures.length).toBeGreaterThan(0);
      for (const [name, value] of figures) {
        expect(Number.isFinite(value), name).toBe(true);
        expect(value, name).toBeGreaterThan(0);
      }
    },
    180_000,
  );

  it('leaves docs/benchmarks.md as it was when told not to write', async () => {
    expect(await readFile(benchmarksDoc, 'utf8')).toBe(docBefore);
  });
});
