import { ConcurrentUpdateError } from '../domain/errors.js';
import {
  type MinuteBucket,
  minuteBucket,
  nextBucket,
  type TimerCursor,
  type TimerStore,
} from '../ports/timer-store.js';
import { inParallel } from './in-parallel.js';

export interface FireDueTimersDeps {
  timers: TimerStore;
}

export interface FireDueTimersOptions {
  /** The configured shard count; the tick reads the larger of it and the count stored with the cursor. */
  shards: number;
  /** Where the very first tick (no cursor yet) starts: this many minutes before now. Default 5. */
  firstRunLookbackMinutes?: number;
  /**
   * The cursor only passes a bucket that ended at least this long ago (default 120 s),
   * so a timer written late for its minute (a slow transaction, a clock a little
   * behind) is still found. Must exceed the longest write that files a timer.
   */
  settleSeconds?: number;
  /** At most this many buckets per run. Default 1,440 (a day). */
  maxBuckets?: number;
  /** Checked before every read; true stops the run, and the next one resumes where it stopped. */
  outOfTime?: () => boolean;
  /** Shards of a bucket drained at once. Default 8. */
  concurrency?: number;
  /** Timers read per query. Default 100. */
  pageSize?: number;
}

export interface FireDueTimersResult {
  fired: number;
  alreadyFired: number;
  bucketsVisited: number;
  /** The cursor after the run. */
  drainedThrough: MinuteBucket | undefined;
  /** Every due timer up to now was fired; false when the run stopped early (time, bucket limit, another tick). */
  complete: boolean;
}

const minuteMs = 60_000;

/**
 * The tick: walks the timer wheel from the stored cursor up to the current
 * minute and turns every timer due by `now` into its `timer` event.
 *
 * Nothing is lost or fired twice across crashes and overlapping ticks: each
 * timer's event is written only if absent before the timer is removed (a timer
 * left by a crash between the two finds its event and is only removed), and the
 * cursor moves only past buckets that were read empty after they settled. A run that stops early (time budget) leaves the rest to the next.
 */
export const fireDueTimers = async (
  { timers }: FireDueTimersDeps,
  now: Date,
  options: FireDueTimersOptions,
): Promise<FireDueTimersResult> => {
  const lookbackMs = (options.firstRunLookbackMinutes ?? 5) * minuteMs;
  const settleMs = (options.settleSeconds ?? 120) * 1000;
  const maxBuckets = options.maxBuckets ?? 1_440;
  const outOfTime = options.outOfTime ?? (() => false);
  const concurrency = options.concurrency ?? 8;
  const pageSize = options.pageSize ?? 100;

  let cursor: TimerCursor | undefined = await timers.readCursor();
  const shards = Math.max(options.shards, cursor?.shards ?? 0);
  const shardList = Array.from({ length: shards }, (_, shard) => shard);
  const current = minuteBucket(now);
  // A bucket is settled once it ended settleMs ago: its start is at most now − settle − 1 minute.
  const settledThrough = minuteBucket(new Date(now.getTime() - settleMs - minuteMs));

  const result: FireDueTimersResult = {
    fired: 0,
    alreadyFired: 0,
    bucketsVisited: 0,
    drainedThrough: cursor?.drainedThrough,
    complete: false,
  };

  const drain = async (bucket: MinuteBucket): Promise<boolean> => {
    let stopped = false;
    await inParallel(shardList, concurrency, async (shard) => {
      for (;;) {
        if (stopped || outOfTime()) {
          stopped = true;
          return;
        }
        const due = await timers.dueIn({ bucket, shard }, now, pageSize);
        if (due.length === 0) return;
        const outcome = await timers.fire(due, now);
        result.fired += outcome.fired;
        result.alreadyFired += outcome.alreadyFired;
        if (due.length < pageSize) return;
      }
    });
    return !stopped;
  };

  let bucket =
    cursor === undefined
      ? minuteBucket(new Date(now.getTime() - lookbackMs))
      : nextBucket(cursor.drainedThrough);
  // Fixed-width ISO minutes compare as strings in time order.
  while (bucket <= current) {
    if (result.bucketsVisited >= maxBuckets || outOfTime()) return result;
    const drained = await drain(bucket);
    result.bucketsVisited += 1;
    if (!drained) return result;
    if (bucket <= settledThrough) {
      const next: TimerCursor = { drainedThrough: bucket, shards };
      try {
        await timers.advanceCursor(cursor, next);
      } catch (error) {
        // Another tick is ahead on the same buckets; it carries on from here.
        if (error instanceof ConcurrentUpdateError) return result;
        throw error;
      }
      cursor = next;
      result.drainedThrough = bucket;
    }
    bucket = nextBucket(bucket);
  }
  result.complete = true;
  return result;
};
