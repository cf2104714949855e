import { z } from 'zod';
import { DateTimer, MessageTimer, Timer, type WheelTimer } from '../../domain/timer.js';
import {
  bucketStart,
  canonicalDueAt,
  type DueTimer,
  MinuteBucket,
  type TimerLocation,
  timerLocation,
} from '../../ports/timer-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/** The item `type` of a timer (see ItemType in items.ts for the other kinds). */
export const timerItemType = 'timer' satisfies ItemType;

/**
 * A timer outlives its due time by this much before DynamoDB's TTL removes it:
 * long enough that a tick catching up after a long outage still finds it, short
 * enough that a timer nobody will ever fire (a bug, a removed shard) goes away.
 */
export const timerRetentionDays = 30;
const retentionMs = timerRetentionDays * 24 * 60 * 60 * 1000;

const keyOf = (timer: WheelTimer, location: TimerLocation) =>
  keys.timer(location.bucket, location.shard, canonicalDueAt(timer.dueAt), timer.id);

/**
 * The key a timer is filed under. `scheduledAt` is the time it is written; it
 * only changes the key of a timer that is already due (see timerLocation).
 */
export const timerKey = (timer: WheelTimer, shards: number, scheduledAt?: Date): { PK: string; SK: string } =>
  keyOf(timer, timerLocation(timer, shards, scheduledAt));

/**
 * The whole timer item, keys included, ready for a Put (add `attribute_not_exists(PK)`
 * to make a replayed schedule fail instead of overwrite, e.g. inside a transaction).
 */
export const timerItem = (timer: WheelTimer, shards: number, scheduledAt?: Date) => {
  const location = timerLocation(timer, shards, scheduledAt);
  return {
    ...keyOf(timer, location),
    ...timer,
    type: timerItemType,
    bucket: location.bucket,
    shard: location.shard,
    expiresAt: Math.ceil((bucketStart(location.bucket).getTime() + retentionMs) / 1000),
  };
};

const StoredLocation = z.object({ bucket: MinuteBucket, shard: z.number().int().min(0) });

export const dueTimerFromItem = (item: Record<string, unknown>): DueTimer => {
  const { bucket, shard } = StoredLocation.parse(item);
  const timer =
    item.kind === 'message'
      ? MessageTimer.parse(item)
      : item.kind === 'date'
        ? DateTimer.parse(item)
        : Timer.parse(item);
  return { timer, location: { bucket, shard } };
};

export const dueTimerKey = ({ timer, location }: DueTimer) => keyOf(timer, location);
