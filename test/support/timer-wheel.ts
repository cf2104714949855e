import { ulid } from 'ulid';
import type { Timer } from '../../lib/domain/timer.js';
import type {
  DueTimer,
  FireOutcome,
  TimerCursor,
  TimerLocation,
  TimerStore,
} from '../../lib/ports/timer-store.js';

export const aTimer = (dueAt: string, overrides: Partial<Timer> = {}): Timer => {
  const enrollmentId = ulid();
  return {
    id: `welcome#${enrollmentId}#wait#1`,
    contactId: `contact-${enrollmentId}`,
    dueAt,
    journeyId: 'welcome',
    enrollmentId,
    nodeId: 'wait',
    visit: 1,
    ...overrides,
  };
};

export const at = (iso: string): Date => new Date(iso);

/** Every timer item still in the table, across all buckets and shards. */
export const remainingTimers = async (
  store: TimerStore,
  buckets: readonly string[],
  shards: number,
): Promise<DueTimer[]> => {
  const found: DueTimer[] = [];
  for (const bucket of buckets) {
    for (let shard = 0; shard < shards; shard += 1) {
      found.push(...(await store.dueIn({ bucket, shard }, at('2100-01-01T00:00:00Z'), 10_000)));
    }
  }
  return found;
};

export class SimulatedCrashError extends Error {
  override readonly name = 'SimulatedCrashError';
}

/** A store that dies on the n-th call to `fire` (after that call wrote nothing), like a tick killed mid-bucket. */
export class CrashingTimerStore implements TimerStore {
  private fireCalls = 0;
  constructor(
    private readonly inner: TimerStore,
    private readonly crashOnFireCall: number,
  ) {}

  schedule(timer: Timer, scheduledAt?: Date): Promise<void> {
    return this.inner.schedule(timer, scheduledAt);
  }
  dueIn(location: TimerLocation, now: Date, limit: number): Promise<DueTimer[]> {
    return this.inner.dueIn(location, now, limit);
  }
  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    this.fireCalls += 1;
    if (this.fireCalls === this.crashOnFireCall) throw new SimulatedCrashError('the tick died');
    return this.inner.fire(due, firedAt);
  }
  remove(timer: Timer, scheduledAt?: Date): Promise<void> {
    return this.inner.remove(timer, scheduledAt);
  }
  readCursor(): Promise<TimerCursor | undefined> {
    return this.inner.readCursor();
  }
  advanceCursor(expected: TimerCursor | undefined, next: TimerCursor): Promise<void> {
    return this.inner.advanceCursor(expected, next);
  }
}
