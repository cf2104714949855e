/** What a job's step made of one item of its list. */
export type ItemOutcome = 'changed' | 'unchanged';

/**
 * What a job does to the items of a page: one at a time (`apply`), or the whole
 * page at once (`applyPage`, answering each item's outcome in page order), so a
 * step that must decide in list order can then write side by side.
 */
export type WalkStep<T> =
  | { apply: (item: T) => Promise<ItemOutcome>; applyPage?: never }
  | { applyPage: (items: readonly T[]) => Promise<ItemOutcome[]>; apply?: never };
