import { z } from 'zod';

/**
 * An addition to one daily counter (`STAT#<scope>#<day>` / `<metric>`), handed to
 * a store so it can be written in the same transaction as what it counts: then a
 * replay that writes nothing counts nothing, and a crash cannot come between the
 * two. Built by `lib/domain/stats-keys.ts`'s names.
 */
export const CounterIncrement = z.object({
  scope: z.string().min(1),
  /** UTC day, YYYY-MM-DD. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  metric: z.string().min(1),
  /** Whole units: a count, or money in minor units. */
  by: z.number().int(),
});
export type CounterIncrement = z.infer<typeof CounterIncrement>;

/**
 * A source that is counted at most once: the id of the thing counted (an SNS
 * notification's MessageId, a journey and the event it failed on) and how long
 * its mark is kept (epoch seconds), longer than that source can be delivered again.
 */
export const CountMark = z.object({
  id: z.string().min(1),
  expiresAt: z.number().int().positive(),
});
export type CountMark = z.infer<typeof CountMark>;

/**
 * How long a count mark is kept, in days: longer than a source can come again. An
 * SNS notification reaches its Lambda subscriber for up to 23 days (SNS's retry
 * policy for AWS-managed endpoints), Lambda retries it for up to 6 hours, and what
 * still fails is kept 14 days as a dead letter that may be redriven; a stream record
 * lives an hour, then the same 14 days. 45 covers the longest, 37 days and 6 hours.
 */
export const countMarkDays = 45;

/** A mark for `id` counted at `now`, kept `countMarkDays`. */
export const countMarkAt = (id: string, now: Date): CountMark => ({
  id,
  expiresAt: Math.ceil(now.getTime() / 1000) + countMarkDays * 86_400,
});

const counterKey = (increment: Pick<CounterIncrement, 'scope' | 'day' | 'metric'>): string =>
  `${increment.scope}\u0000${increment.day}\u0000${increment.metric}`;

/**
 * One increment per counter, in first-seen order, without those that add
 * nothing: a transaction may write an item only once, and a zero is no write.
 */
export const mergeIncrements = (increments: readonly CounterIncrement[]): CounterIncrement[] => {
  const merged = new Map<string, CounterIncrement>();
  for (const increment of increments) {
    const key = counterKey(increment);
    const known = merged.get(key);
    merged.set(key, known === undefined ? { ...increment } : { ...known, by: known.by + increment.by });
  }
  return [...merged.values()].filter((increment) => increment.by !== 0);
};
