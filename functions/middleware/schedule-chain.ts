import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { observability } from './observability.js';

export interface ScheduledRun {
  /** The time the schedule fired for (EventBridge's `time`); informative only, the clock decides. */
  scheduledFor: string;
  /** Milliseconds left before Lambda stops the function. */
  remainingMs: () => number;
}

export type ScheduleUseCase = (run: ScheduledRun) => Promise<void>;

/**
 * The chain for functions on a fixed-rate schedule (an EventBridge rule in the
 * cloud, a timer locally). A failure throws, so the invocation counts as an error
 * and the alarm on it fires; the next scheduled run is the retry.
 */
export const scheduleHandler = (useCase: ScheduleUseCase) =>
  middy<ScheduledEvent, void, Error, Context>()
    .use(observability())
    .handler(async (event, context) => {
      await useCase({ scheduledFor: event.time, remainingMs: () => context.getRemainingTimeInMillis() });
    });
