import type { DeadLetter, DeadLetterId, FailedRedrive } from '../domain/dead-letter.js';

export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  /** Where the next page starts (the last id of this one); null after the newest dead letter. */
  next: DeadLetterId | null;
}

/** What failed for good, in the order it failed, until a redrive succeeds or it expires. */
export interface DeadLetterStore {
  /** Adds a dead letter; its id is new, so nothing already kept is overwritten. */
  put(deadLetter: DeadLetter): Promise<void>;
  get(id: DeadLetterId): Promise<DeadLetter | undefined>;
  /** Oldest first, `limit` at most; `after` is a page's `next`. */
  list(limit: number, after?: DeadLetterId): Promise<DeadLetterPage>;
  /** After a redrive that succeeded; removing one already gone does nothing. */
  remove(id: DeadLetterId): Promise<void>;
  /** Counts a redrive that failed, keeping its error; undefined when the dead letter is gone meanwhile. */
  recordFailedRedrive(id: DeadLetterId, redrive: FailedRedrive): Promise<DeadLetter | undefined>;
}
