/**
 * `record[key]` for a key that came from outside (a category, an attribute, a
 * node id, a field path): only the record's own entry, never an inherited member.
 * `counts.constructor ?? 0` is the Object function, and `+ 1` turns a count into
 * text that no schema reads back.
 */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
