import type { z } from 'zod';
import { describeIssues, salvage } from '../../domain/salvage.js';

/** A stored item that no longer fits its schema (an older bug wrote it), and what reading it did. */
export interface DamagedItem {
  PK: string;
  SK: string;
  problems: string[];
  /** `repaired`: read without the parts listed in `dropped`; `skipped`: left out of a list or page. */
  outcome: 'repaired' | 'skipped';
  dropped?: string[];
}

export type DamageReporter = (damaged: DamagedItem) => void;

/** Where no logger is wired (scripts, tests): one line on stderr, so the damage is never silent. */
export const reportOnStderr: DamageReporter = (damaged) => {
  console.warn(JSON.stringify({ level: 'WARN', message: 'damaged item', ...damaged }));
};

/** An item that cannot be read even without its damaged parts; its key says where it is. */
export class DamagedItemError extends Error {
  override readonly name = 'DamagedItemError';
}

const keyOf = (item: Record<string, unknown>) => ({ PK: String(item.PK), SK: String(item.SK) });

/**
 * One item that must be read (a contact's profile): repaired when a part of it
 * is damaged, so the rest stays usable; DamagedItemError when the damage is in
 * what the item cannot do without.
 */
export const readRepairing = <T>(
  schema: z.ZodType<T>,
  item: Record<string, unknown>,
  report: DamageReporter,
): T => {
  const read = salvage(schema, item);
  if (!read.ok) {
    throw new DamagedItemError(
      `the item ${JSON.stringify(keyOf(item))} cannot be read: ${read.problems.join('; ')}`,
    );
  }
  if (read.dropped.length > 0) {
    report({ ...keyOf(item), problems: read.problems, outcome: 'repaired', dropped: read.dropped });
  }
  return read.value;
};

/**
 * Items of a list or a page: each repaired as readRepairing does, or left out
 * (and reported) when it cannot be; one bad item never stops the others.
 */
export const readEachRepairing = <T>(
  schema: z.ZodType<T>,
  items: ReadonlyArray<Record<string, unknown>>,
  report: DamageReporter,
): T[] =>
  items.flatMap((item) => {
    try {
      return [readRepairing(schema, item, report)];
    } catch (error) {
      if (!(error instanceof DamagedItemError)) throw error;
      report({ ...keyOf(item), problems: [error.message], outcome: 'skipped' });
      return [];
    }
  });

/** Items of a list where a repaired item could mislead (an enrollment without its wait): left out whole. */
export const readEachSkipping = <T>(
  schema: z.ZodType<T>,
  items: ReadonlyArray<Record<string, unknown>>,
  report: DamageReporter,
): T[] =>
  items.flatMap((item) => {
    const read = schema.safeParse(item);
    if (read.success) return [read.data];
    report({ ...keyOf(item), problems: describeIssues(read.error), outcome: 'skipped' });
    return [];
  });
