import { escapeForTerminal, type TerminalText, terminalLines } from './terminal-text.js';

/** Plain aligned columns for a terminal; `--json` prints the data itself instead. */
export const formatTable = (
  rows: ReadonlyArray<Record<string, unknown>>,
  columns?: readonly string[],
): TerminalText => {
  if (rows.length === 0) return terminalLines(['(none)']);
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // Escaped before measuring: an escape is wider than the character it shows, and a
  // newline in a cell must not break the row.
  const cell = (value: unknown): string =>
    escapeForTerminal(
      value === undefined || value === null
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    );
  const header = names.map(cell);
  const body = rows.map((row) => names.map((name) => cell(row[name])));
  const widths = header.map((name, i) =>
    Math.max(name.length, ...body.map((cells) => (cells[i] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return terminalLines([line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)]);
};
