import type { z } from 'zod';

type Path = ReadonlyArray<PropertyKey>;

export type Salvaged<T> =
  | { ok: true; value: T; dropped: string[]; problems: string[] }
  | { ok: false; problems: string[] };

const describePath = (path: Path): string => path.map(String).join('.') || '(item)';

/** `path: message` for each issue, as logs and error messages show them. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`);

const startsWith = (path: Path, prefix: Path): boolean =>
  prefix.length <= path.length && prefix.every((key, index) => path[index] === key);

/** A copy of `value` without what `path` names: an array element is spliced out, an object key deleted. */
const without = (value: unknown, path: Path): unknown => {
  const copy: unknown = structuredClone(value);
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return copy;
    parent = Reflect.get(parent, key);
  }
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (typeof parent === 'object' && parent !== null && last !== undefined)
    Reflect.deleteProperty(parent, last);
  return copy;
};

/** Enough for a handful of bad entries in a list; a value broken in more places than this is not guessed at. */
const maxRepairs = 50;

/**
 * Reads `value` as `schema`, dropping the smallest parts that break it: a bad
 * entry of a list, or an optional field that holds nonsense (a date in the year
 * 10000). A part whose removal leaves a required field missing is dropped with
 * its parent instead, as far up as the parent is optional. What cannot be
 * repaired without dropping the whole value is reported, not guessed.
 *
 * For reading stored items that an older bug wrote: one bad field must not make
 * a whole record, or every job that reads it, unusable.
 */
export const salvage = <T>(schema: z.ZodType<T>, value: unknown): Salvaged<T> => {
  const first = schema.safeParse(value);
  if (first.success) return { ok: true, value: first.data, dropped: [], problems: [] };
  const problems = describeIssues(first.error);
  const dropped: string[] = [];
  let current = value;
  let issues = first.error.issues;
  for (let repair = 0; repair < maxRepairs; repair += 1) {
    const path = issues[0]?.path ?? [];
    let repaired = false;
    for (let depth = path.length; depth >= 1 && !repaired; depth -= 1) {
      const target = path.slice(0, depth);
      const candidate = without(current, target);
      const result = schema.safeParse(candidate);
      if (result.success)
        return { ok: true, value: result.data, dropped: [...dropped, describePath(target)], problems };
      // Removing it helped only if nothing is wrong at or under it any more (a required field now missing is).
      if (!result.error.issues.some((issue) => startsWith(issue.path, target))) {
        current = candidate;
        issues = result.error.issues;
        dropped.push(describePath(target));
        repaired = true;
      }
    }
    if (!repaired) return { ok: false, problems };
  }
  return { ok: false, problems };
};
