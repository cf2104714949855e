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
  timersPerTransaction,
} from '../dynamodb/timer-items.js';
import { itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

/**
 * The timer wheel on the memory table: the same minute buckets and shards, the
 * same sort keys (`<dueAt>#<id>`), and firing as DynamoTimerStore fires, one
 * transaction per 25 timers, so fireDueTimers runs on it unchanged.
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

  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const chunks: DueTimer[][] = [];
    for (let start = 0; start < due.length; start += timersPerTransaction) {
      chunks.push(due.slice(start, start + timersPerTransaction));
    }
    const outcomes = await Promise.all(chunks.map((chunk) => this.fireChunk(chunk, firedAt)));
    return outcomes.reduce(
      (sum, outcome) => ({
        fired: sum.fired + outcome.fired,
        alreadyFired: sum.alreadyFired + outcome.alreadyFired,
      }),
      { fired: 0, alreadyFired: 0 },
    );
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

  /**
   * One transaction per chunk: each timer's event put (only if absent) and its
   * delete. A timer whose event exists already makes the whole transaction fail,
   * so those are only deleted and the rest go again.
   */
  private async fireChunk(chunk: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const outcome: FireOutcome = { fired: 0, alreadyFired: 0 };
    let pending = [...chunk];
    while (pending.length > 0) {
      const writes: TableWrite[] = pending.flatMap((due) => [
        { put: firedItem(due.timer, firedAt), condition: itemAbsent },
        { delete: dueTimerKey(due) },
      ]);
      const cancellation = await this.table.transact(writes);
      if (cancellation === undefined) {
        outcome.fired += pending.length;
        return outcome;
      }
      // Even indexes are the event (or message) puts; only those carry a condition.
      const alreadyFired = new Set(cancellation.failedConditions.map((index) => Math.floor(index / 2)));
      const done = pending.filter((_, index) => alreadyFired.has(index));
      for (const timer of done) await this.table.write({ delete: dueTimerKey(timer) });
      outcome.alreadyFired += done.length;
      pending = pending.filter((_, index) => !alreadyFired.has(index));
    }
    return outcome;
  }
}
