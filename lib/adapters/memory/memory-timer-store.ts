import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { DateTimer, MessageTimer, Timer } from '../../domain/timer.js';
import {
  type DueTimer,
  type FireOutcome,
  type MessageDeferrals,
  TimerCursor,
  type TimerLocation,
  type TimerStore,
} from '../../ports/timer-store.js';
import { keys } from '../dynamodb/keys.js';
import {
  cursorItemType,
  dueTimerFromItem,
  dueTimerKey,
  firedItem,
  timerItem,
  timerKey,
} from '../dynamodb/timer-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/**
 * The timer wheel on the memory table: the same minute buckets and shards, the
 * same sort keys (`<dueAt>#<id>`), and firing with DynamoTimerStore's outcome (each
 * item written only where absent, then the timers deleted), so fireDueTimers runs on it unchanged.
 */
export class MemoryTimerStore implements TimerStore, MessageDeferrals {
  constructor(
    private readonly table: MemoryTable,
    /** The shard count new timers are written with (TIMER_SHARDS). */
    private readonly shards: number,
  ) {}

  async schedule(timer: Timer | MessageTimer | DateTimer, scheduledAt?: Date): Promise<void> {
    // The same timer id is the same wait: already filed is what was asked for.
    await this.table.write({ put: timerItem(timer, this.shards, scheduledAt), condition: itemAbsent });
  }

  async deferMessage(timer: MessageTimer, scheduledAt: Date): Promise<void> {
    await this.schedule(timer, scheduledAt);
  }

  async dueIn(location: TimerLocation, now: Date, limit: number): Promise<DueTimer[]> {
    // Sort keys are `<dueAt>#<id>`; '$' sorts right after '#', so this takes every timer due at or before now.
    const { items } = await this.table.query(keys.timerPartition(location.bucket, location.shard), {
      before: `${now.toISOString()}$`,
      limit,
    });
    return items.map((item) => dueTimerFromItem(item));
  }

  /** DynamoTimerStore's outcome: each timer's item written only where absent, then the timers deleted. */
  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const outcome: FireOutcome = { fired: 0, alreadyFired: 0 };
    for (const timer of due) {
      const put = this.table.write({ put: firedItem(timer.timer, firedAt), condition: itemAbsent });
      outcome[put.written ? 'fired' : 'alreadyFired'] += 1;
    }
    for (const timer of due) this.table.write({ delete: dueTimerKey(timer) });
    return outcome;
  }

  async remove(timer: Timer, scheduledAt?: Date): Promise<void> {
    await this.table.write({ delete: timerKey(timer, this.shards, scheduledAt) });
  }

  async readCursor(): Promise<TimerCursor | undefined> {
    const item = await this.table.get(keys.timerCursor);
    return item === undefined ? undefined : TimerCursor.parse(item);
  }

  async advanceCursor(expected: TimerCursor | undefined, next: TimerCursor): Promise<void> {
    const outcome = await this.table.write({
      put: { ...keys.timerCursor, type: cursorItemType, ...TimerCursor.parse(next) },
      condition:
        expected === undefined
          ? itemAbsent
          : (current) =>
              current !== undefined &&
              current.drainedThrough === expected.drainedThrough &&
              current.shards === expected.shards,
    });
    if (!outcome.written) {
      throw new ConcurrentUpdateError(
        `the timer cursor moved since ${expected?.drainedThrough ?? 'it was found missing'}`,
      );
    }
  }
}
