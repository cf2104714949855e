import type { HoldoutAnswer } from './demo-answers.js';

/**
 * How the demo writes numbers, tables and lifts, so every section reads alike.
 */

export interface DemoCheck {
  ok: boolean;
  what: string;
}

type Cell = string | number;

export const integer = (value: number): string => Math.round(value).toLocaleString('en-US');
export const money = (value: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

const numeric = /^[-+]?[\d,]+(\.\d+)?%?$/;

/** Aligned columns, numbers to the right, so a column of amounts reads at a glance. */
export const table = (header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string => {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? integer(cell) : cell)));
  const widths = header.map((name, column) =>
    Math.max(name.length, ...text.map((row) => (row[column] ?? '').length)),
  );
  // Empty cells (a total row without an average) do not make a column of numbers text.
  const right = header.map((_, column) => {
    const filled = text.map((row) => row[column] ?? '').filter((cell) => cell !== '');
    return filled.length > 0 && filled.every((cell) => numeric.test(cell));
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        right[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)]
    .map((row) => `  ${row}`)
    .join('\n');
};

export const tally = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${integer(count)}`)
    .join(', ') || '-';

/** A rate, or `-` where there is none (an empty group). */
export const rate = (value: number | null): string => (value === null ? '-' : percent(value));

/** The lift of treatment over control with its interval, as one line. */
export const liftLine = ({ lift, confidence }: HoldoutAnswer): string =>
  `lift ${rate(lift.absolute)} (relative ${rate(lift.relative)}), ${percent(confidence)} interval ${
    lift.interval === null ? '-' : `${rate(lift.interval.lower)} to ${rate(lift.interval.upper)}`
  }, ${lift.significant ? 'significant' : 'not significant'}`;
