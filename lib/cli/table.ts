/** Plain aligned columns for a terminal; `--json` prints the data itself instead. */
export const formatTable = (
  rows: ReadonlyArray<Record<string, unknown>>,
  columns?: readonly string[],
): string => {
  if (rows.length === 0) return '(none)';
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown): string =>
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const widths = names.map((name) => Math.max(name.length, ...rows.map((row) => cell(row[name]).length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(names),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((row) => line(names.map((n) => cell(row[n])))),
  ].join('\n');
};
