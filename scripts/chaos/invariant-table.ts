import type { ChaosReport } from './chaos-run.js';

/** The invariants as the run prints them: one line each, then the first violations (and bounded happenings) named. */
export const invariantTable = (report: Pick<ChaosReport, 'invariants'>): string => {
  const width = Math.max(...report.invariants.map((row) => row.invariant.length));
  const lines = [
    `${'invariant'.padEnd(width)}  checked  violations  bounded`,
    `${'-'.repeat(width)}  -------  ----------  -------`,
    ...report.invariants.map(
      (row) =>
        `${row.invariant.padEnd(width)}  ${String(row.checked).padStart(7)}  ${String(row.violations).padStart(10)}  ${(row.bounded === undefined ? '' : String(row.bounded)).padStart(7)}`,
    ),
  ];
  for (const row of report.invariants)
    for (const example of row.examples) lines.push(`  ${row.invariant}: ${example}`);
  return lines.join('\n');
};
