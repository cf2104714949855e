import { z } from 'zod';
import type { ContactEvent } from '../../domain/contact-event.js';
import { dateReachedEvent } from '../../domain/date-trigger.js';
import {
  DateTimer,
  isDateTimer,
  isMessageTimer,
  MessageTimer,
  Timer,
  type TimerEventData,
  timerEventId,
  type WheelTimer,
} from '../../domain/timer.js';
import {
  bucketStart,
  canonicalDueAt,
  type DueTimer,
  MinuteBucket,
  type TimerLocation,
  timerLocation,
} from '../../ports/timer-store.js';
import { eventItem, type ItemType, messageItem } from './items.js';
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

/** The item of the timer cursor (see ItemType in items.ts for the other kinds). */
export const cursorItemType = 'timer-cursor' satisfies ItemType;

/** The event a fired timer becomes; its id comes from the timer, so firing twice writes the same event. */
export const timerEvent = (timer: Timer, firedAt: Date): ContactEvent => {
  const { contactId, ...rest } = timer;
  const data: TimerEventData = rest;
  return { id: timerEventId(timer), contactId, type: 'timer', at: firedAt.toISOString(), data };
};

/**
 * What a due timer writes when it fires, created only if absent: a timer's
 * `timer` event, a date timer's `date_reached` event, a deferred message's queued copy.
 */
export const firedItem = (
  timer: WheelTimer,
  firedAt: Date,
): Record<string, unknown> & { PK: string; SK: string } =>
  isMessageTimer(timer)
    ? messageItem(timer.message)
    : isDateTimer(timer)
      ? eventItem(dateReachedEvent(timer, firedAt))
      : eventItem(timerEvent(timer, firedAt));
