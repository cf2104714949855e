import { localRegion } from '../../infra/local/dynamodb-local.js';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { scheduledEvent } from '../../infra/local/scheduler.js';
import { topology } from '../../infra/topology.js';
import type { DemoClient } from './demo-client.js';
import type { DemoClock } from './demo-clock.js';
import type { DemoShop } from './demo-shop.js';

/** What every phase of the demo works with, and the way it runs the schedules. */

export class DemoFailedError extends Error {
  override readonly name = 'DemoFailedError';
}

export interface DemoContext {
  stack: LocalStack;
  client: DemoClient;
  shop: DemoShop;
  /** The stack's clock: the demo moves it on to let a campaign's send time come. */
  clock: DemoClock;
  /** The shop's seed: what the demo's people do after the history is drawn from it too. */
  seed: number;
  now: Date;
  /** Called as each phase ends, with what it did, for the timing lines. */
  phase: (label: string) => void;
}

/** Concurrent public or admin requests when the demo acts for many people at once. */
export const concurrency = 8;
export const maxSettleRounds = 10;

export const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/** Tick, let every stream drain, and repeat until a tick sets nothing off; answers the rounds it took. */
export const tickUntilSettled = async ({ stack, client }: Pick<DemoContext, 'stack' | 'client'>) => {
  for (let round = 1; round <= maxSettleRounds; round += 1) {
    const before = await client.settledInvocations();
    await stack.tick();
    await stack.idle();
    if ((await client.settledInvocations()) === before) return round;
  }
  throw new DemoFailedError(`the system was still busy after ${maxSettleRounds} ticks`);
};

/**
 * Runs the schedules at their rates in the stack's time, for the hours the
 * demo lets pass at once: the ones `npm start` runs every few seconds (due
 * timers, journey jobs) at every round, the daily ones (the customer-value
 * refresh, live segments) once a day of the clock has gone by since they last
 * ran, as the cloud's rules would. Each call repeats rounds until one sets
 * nothing off, and answers the rounds it took.
 */
export const scheduleRunner = (context: Pick<DemoContext, 'stack' | 'client' | 'clock'>) => {
  const { stack, client, clock } = context;
  const schedules = topology.flatMap((spec) =>
    spec.trigger.kind === 'schedule'
      ? [
          {
            name: spec.name,
            everyMs: spec.trigger.everyMinutes * 60_000,
            frequent: spec.trigger.localEverySeconds < 60,
          },
        ]
      : [],
  );
  // Every schedule ran at the demo's last tick, just before.
  const lastRun = new Map(schedules.map((schedule) => [schedule.name, clock.now().getTime()]));
  return async (): Promise<number> => {
    for (let round = 1; round <= maxSettleRounds; round += 1) {
      const before = await client.settledInvocations();
      const now = clock.now();
      const due = schedules.filter(
        (schedule) =>
          schedule.frequent || now.getTime() - (lastRun.get(schedule.name) ?? 0) >= schedule.everyMs,
      );
      await Promise.all(
        due.map((schedule) => stack.invoke(schedule.name, scheduledEvent(schedule.name, localRegion, now))),
      );
      for (const schedule of due) lastRun.set(schedule.name, now.getTime());
      await stack.idle();
      if ((await client.settledInvocations()) === before) return round;
    }
    throw new DemoFailedError(`the system was still busy after ${maxSettleRounds} rounds of its schedules`);
  };
};
