import { describe, expect, it } from 'vitest';
import { runChaos } from '../../scripts/chaos/chaos-run.js';
import { invariantTable } from '../../scripts/chaos/invariant-table.js';

/**
 * The chaos run at a small size: the same harness as `npm run chaos` (5,000
 * calls, 10 kills), with a couple of hundred calls and two SIGKILLs of the
 * runtime while they are answered.
 */
describe('when the runtime is killed while people sign up, order and leave', () => {
  it('loses nothing, sends nothing twice and leaves nothing stuck', { timeout: 600_000 }, async () => {
    const report = await runChaos({
      calls: 150,
      kills: 2,
      seed: 11,
      concurrency: 12,
      log: () => undefined,
    });
    const table = invariantTable(report);
    expect(report.kills, table).toBe(2);
    expect(report.problems, table).toEqual([]);
    for (const row of report.invariants) {
      expect(row.violations, `${row.invariant}\n${table}`).toBe(0);
    }
    expect(
      report.invariants.find((row) => row.invariant.startsWith('every accepted call'))?.checked,
    ).toBeGreaterThanOrEqual(150);
  });
});
