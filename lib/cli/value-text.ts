/** A value from an API answer as a cell or a word in a sentence: nothing where it is absent. */
export const valueText = (value: unknown): string =>
  value === undefined || value === null ? '' : String(value);
