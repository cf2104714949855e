import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DateTimer, MessageTimer, Timer, WheelTimer } from '../domain/timer.js';

/**
 * The timer wheel's vocabulary. Timers are filed by the UTC minute they fall due
 * in (a bucket, e.g. `2030-01-01T09:00`) and a write shard, so a minute with
 * many timers spreads over several partitions and a drain can read them in
 * parallel. The tick walks buckets from a stored cursor.
 */

export const MinuteBucket = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
export type MinuteBucket = z.infer<typeof MinuteBucket>;

const minuteMs = 60_000;

export const minuteBucket = (at: Date): MinuteBucket => at.toISOString().slice(0, 16);

export const bucketStart = (bucket: MinuteBucket): Date => new Date(`${bucket}:00.000Z`);

export const nextBucket = (bucket: MinuteBucket): MinuteBucket =>
  minuteBucket(new Date(bucketStart(bucket).getTime() + minuteMs));

/** Whole buckets from `from` to `to`, both included; 0 when `to` is before `from`. */
export const bucketsBetween = (from: MinuteBucket, to: MinuteBucket): number =>
  Math.max(0, Math.floor((bucketStart(to).getTime() - bucketStart(from).getTime()) / minuteMs) + 1);

/**
 * The write shard of a timer: a hash of its id, so the same timer always lands
 * in the same place for a given shard count, and timers spread evenly.
 */
export const timerShard = (timerId: string, shards: number): number => {
  if (!Number.isInteger(shards) || shards < 1)
    throw new RangeError(`shards must be a whole number ≥ 1, not ${shards}`);
  return createHash('sha256').update(timerId).digest().readUInt32BE(0) % shards;
};

/** Due times in one canonical form (UTC, milliseconds), so sort keys order and compare as times. */
export const canonicalDueAt = (dueAt: string): string => new Date(dueAt).toISOString();

export interface TimerLocation {
  bucket: MinuteBucket;
  shard: number;
}

/**
 * Where a timer is filed. A timer scheduled after its due minute (a wait until a
 * date that already passed) goes in the minute it was scheduled in instead: the
 * tick's cursor may already be past its own minute, and there it would never fire.
 */
export const timerLocation = (
  timer: Pick<WheelTimer, 'id' | 'dueAt'>,
  shards: number,
  scheduledAt?: Date,
): TimerLocation => {
  const due = new Date(timer.dueAt);
  const filedAt = scheduledAt !== undefined && scheduledAt > due ? scheduledAt : due;
  return { bucket: minuteBucket(filedAt), shard: timerShard(timer.id, shards) };
};

/** A timer as read from the wheel, with the place it was read from (needed to delete it). */
export interface DueTimer {
  timer: WheelTimer;
  location: TimerLocation;
}

/** How far the tick has drained: every bucket up to and including `drainedThrough` is empty for good. */
export const TimerCursor = z.object({
  drainedThrough: MinuteBucket,
  /** The highest shard count ever read with; the tick never reads fewer. */
  shards: z.number().int().min(1),
});
export type TimerCursor = z.infer<typeof TimerCursor>;

export interface FireOutcome {
  /** Timer events written by this call. */
  fired: number;
  /** Timers whose event existed already (a crashed or concurrent tick wrote it); only their timer item was removed. */
  alreadyFired: number;
}

export interface TimerStore {
  /** Files the timer; scheduling the same timer again changes nothing. */
  schedule(timer: Timer | DateTimer, scheduledAt?: Date): Promise<void>;
  /** Up to `limit` timers in one bucket and shard that are due at `now`, earliest first. */
  dueIn(location: TimerLocation, now: Date, limit: number): Promise<DueTimer[]>;
  /**
   * Turns each timer into its `timer` event (a message timer into its outbox
   * message, a date timer into `date_reached`), written only if absent, then
   * removes the timer. An event or message that exists already is kept as is and
   * the timer only removed, so a firing cut short between the two (a crash) is
   * completed by the next one, and nothing is written twice.
   */
  fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome>;
  /**
   * Removes a timer that should no longer fire. Best effort by nature: it races
   * the tick, so whoever handles timer events must ignore a stale one anyway.
   * `scheduledAt` only matters for a timer scheduled after its due time.
   */
  remove(timer: Timer, scheduledAt?: Date): Promise<void>;
  readCursor(): Promise<TimerCursor | undefined>;
  /** Moves the cursor from `expected`; ConcurrentUpdateError if another tick moved it first. */
  advanceCursor(expected: TimerCursor | undefined, next: TimerCursor): Promise<void>;
}

/** Files deferred messages in the timer wheel; see MessageTimer. */
export interface MessageDeferrals {
  /** Idempotent, like TimerStore.schedule: the same timer id files one timer. */
  deferMessage(timer: MessageTimer, scheduledAt: Date): Promise<void>;
}
