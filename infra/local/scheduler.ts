import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { describeError } from '../../lib/domain/error-text.js';
import { invoke, type LocalFunction, localAccountId } from './lambda-invoke.js';

/**
 * The local stand-in for EventBridge schedule rules: each function runs every
 * few seconds with a scheduled event. Unlike the cloud, runs of one function never
 * overlap here (a beat that finds a run in flight is skipped), which keeps the
 * local runtime calm; the handlers are safe under overlap either way.
 */

export interface ScheduledFunction {
  fn: LocalFunction;
  everySeconds: number;
}

export interface ScheduleStatus {
  functionName: string;
  everySeconds: number;
  runs: number;
  failures: number;
  lastError?: string;
}

export interface LocalScheduler {
  /** Starts the periodic runs. */
  start(): void;
  /** Runs every function once, after any run in flight, and resolves when they finished; rejects if one failed. */
  runOnce(): Promise<void>;
  /** Resolves once no run is in flight; does not wait for future beats. */
  idle(): Promise<void>;
  /** Stops the beats and waits for runs in flight. */
  stop(): Promise<void>;
  status(): ScheduleStatus[];
}

export interface LocalSchedulerOptions {
  functions: readonly ScheduledFunction[];
  region: string;
  log?: (line: string) => void;
}

/** The event EventBridge passes a rule's Lambda target; `time` has no fraction of a second there either. */
export const scheduledEvent = (functionName: string, region: string, at: Date): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: localAccountId,
  time: `${at.toISOString().slice(0, 19)}Z`,
  region,
  resources: [`arn:aws:events:${region}:${localAccountId}:rule/rapport-local-${functionName}`],
  detail: {},
});

interface Slot {
  scheduled: ScheduledFunction;
  status: ScheduleStatus;
  /** The run in flight, or a settled promise. */
  current: Promise<void>;
  busy: boolean;
}

export const createLocalScheduler = (options: LocalSchedulerOptions): LocalScheduler => {
  const log = options.log ?? ((line: string) => console.warn(line));
  const slots: Slot[] = options.functions.map((scheduled) => ({
    scheduled,
    status: {
      functionName: scheduled.fn.functionName,
      everySeconds: scheduled.everySeconds,
      runs: 0,
      failures: 0,
    },
    current: Promise.resolve(),
    busy: false,
  }));
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const run = async (slot: Slot): Promise<void> => {
    const { fn } = slot.scheduled;
    slot.busy = true;
    try {
      await invoke(
        fn,
        scheduledEvent(fn.functionName, options.region, new Date()),
        options.region,
        () => stopped,
      );
      slot.status.runs += 1;
    } catch (error) {
      slot.status.runs += 1;
      slot.status.failures += 1;
      slot.status.lastError = describeError(error);
      throw error;
    } finally {
      slot.busy = false;
    }
  };

  /** Queues a run after the one in flight; the returned promise carries this run's outcome. */
  const enqueue = (slot: Slot): Promise<void> => {
    const next = slot.current.then(() => run(slot));
    slot.current = next.catch(() => undefined);
    return next;
  };

  return {
    start: () => {
      for (const slot of slots) {
        const beat = setInterval(() => {
          if (stopped || slot.busy) return;
          enqueue(slot).catch((error: unknown) =>
            log(`${slot.scheduled.fn.functionName} (scheduled run) failed: ${describeError(error)}`),
          );
        }, slot.scheduled.everySeconds * 1000);
        // The beats alone must not keep a process alive.
        beat.unref();
        timers.push(beat);
      }
    },
    runOnce: async () => {
      await Promise.all(slots.map((slot) => enqueue(slot)));
    },
    idle: async () => {
      await Promise.all(slots.map((slot) => slot.current));
    },
    stop: async () => {
      stopped = true;
      for (const beat of timers.splice(0)) clearInterval(beat);
      await Promise.all(slots.map((slot) => slot.current));
    },
    status: () => slots.map((slot) => ({ ...slot.status })),
  };
};
