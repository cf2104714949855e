import { describe, expect, it } from 'vitest';
import { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { type Timer, timerEventId } from '../../../lib/domain/timer.js';
import {
  aTimer,
  at,
  CrashingTimerStore,
  remainingTimers,
  SimulatedCrashError,
} from '../../support/timer-wheel.js';

const shards = 4;

const setUp = async (writeShards = shards) => {
  const table = new MemoryWorld({ start: '2030-01-01T00:00:00.000Z', timerShards: writeShards });
  return { table, store: table.timers };
};

/** Every event stored for the contact. */
const eventsOf = async (world: MemoryWorld, contactId: string) => world.eventsOf(contactId);

/** Events for all the timers' contacts, as [timer id, event count]. */
const eventCounts = async (table: MemoryWorld, timers: readonly Timer[]) =>
  Promise.all(timers.map(async (timer) => [timer.id, (await eventsOf(table, timer.contactId)).length]));

const oncePerTimer = (timers: readonly Timer[]) => timers.map((timer) => [timer.id, 1]);

/**
 * The tick's walk of the wheel (fireDueTimers) on the memory wheel. Two ticks
 * racing on DynamoDB are in test/integration/timers/fire-due-timers.test.ts, and
 * what every wheel does in test/contracts/timer-store.contract.ts.
 */
describe('firing due timers', () => {
  describe('when timers fall due', () => {
    it('turns each into one timer event with the timer as its data, and removes the timer', async () => {
      const { table, store } = await setUp();
      const timer = aTimer('2030-01-01T09:00:10.000Z');
      await store.schedule(timer);
      const now = at('2030-01-01T09:00:20.000Z');

      const result = await fireDueTimers({ timers: store }, now, { shards });

      expect(result).toMatchObject({ fired: 1, alreadyFired: 0, complete: true });
      const { contactId, ...data } = timer;
      expect(await eventsOf(table, contactId)).toEqual([
        { id: timerEventId(timer), contactId, type: 'timer', at: now.toISOString(), data },
      ]);
      expect(await remainingTimers(store, ['2030-01-01T09:00'], shards)).toEqual([]);
    });

    it('fires each timer once, however often the tick runs', async () => {
      const { table, store } = await setUp();
      const timers = Array.from({ length: 30 }, (_, index) =>
        aTimer(`2030-01-01T09:00:${String(index).padStart(2, '0')}.000Z`),
      );
      await Promise.all(timers.map((timer) => store.schedule(timer)));

      for (const second of ['30', '45', '59']) {
        await fireDueTimers({ timers: store }, at(`2030-01-01T09:00:${second}.000Z`), { shards });
      }
      await fireDueTimers({ timers: store }, at('2030-01-01T09:04:00.000Z'), { shards });

      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
    });

    it('keeps a timer that is due later in the same minute until its time', async () => {
      const { table, store } = await setUp();
      const early = aTimer('2030-01-01T09:00:05.000Z');
      const late = aTimer('2030-01-01T09:00:50.000Z');
      await store.schedule(early);
      await store.schedule(late);

      await fireDueTimers({ timers: store }, at('2030-01-01T09:00:30.000Z'), { shards });

      expect(await eventsOf(table, early.contactId)).toHaveLength(1);
      expect(await eventsOf(table, late.contactId)).toEqual([]);

      await fireDueTimers({ timers: store }, at('2030-01-01T09:01:00.000Z'), { shards });
      expect(await eventsOf(table, late.contactId)).toHaveLength(1);
    });

    it('scheduling the same timer twice files it once', async () => {
      const { table, store } = await setUp();
      const timer = aTimer('2030-01-01T09:00:05.000Z');
      await store.schedule(timer);
      await store.schedule(timer);

      expect(await remainingTimers(store, ['2030-01-01T09:00'], shards)).toHaveLength(1);
      await fireDueTimers({ timers: store }, at('2030-01-01T09:01:00.000Z'), { shards });
      expect(await eventsOf(table, timer.contactId)).toHaveLength(1);
    });

    it('fires nothing for a timer removed before its time', async () => {
      const { table, store } = await setUp();
      const timer = aTimer('2030-01-01T09:00:05.000Z');
      await store.schedule(timer);
      await store.remove(timer);

      await fireDueTimers({ timers: store }, at('2030-01-01T09:01:00.000Z'), { shards });

      expect(await eventsOf(table, timer.contactId)).toEqual([]);
    });
  });

  describe('when the tick missed minutes (an outage)', () => {
    it('catches up from the cursor and fires everything missed exactly once', async () => {
      const { table, store } = await setUp();
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T05:59', shards });
      // One timer every seven minutes over three hours, plus a crowd in one minute.
      const timers = [
        ...Array.from({ length: 26 }, (_, index) =>
          aTimer(new Date(Date.parse('2030-01-01T06:00:30Z') + index * 7 * 60_000).toISOString()),
        ),
        ...Array.from({ length: 40 }, () => aTimer('2030-01-01T07:30:00.000Z')),
      ];
      await Promise.all(timers.map((timer) => store.schedule(timer)));
      const now = at('2030-01-01T09:10:00.000Z');

      const result = await fireDueTimers({ timers: store }, now, { shards });

      expect(result).toMatchObject({ fired: timers.length, complete: true });
      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
      // The last two minutes stay open for late writes; everything before is done for good.
      expect(await store.readCursor()).toEqual({ drainedThrough: '2030-01-01T09:07', shards });
    });

    it('spreads a long catch-up over several runs when time runs out, losing nothing', async () => {
      const { table, store } = await setUp();
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T05:59', shards });
      const timers = Array.from({ length: 12 }, (_, index) =>
        aTimer(new Date(Date.parse('2030-01-01T06:00:00Z') + index * 15 * 60_000).toISOString()),
      );
      await Promise.all(timers.map((timer) => store.schedule(timer)));
      const now = at('2030-01-01T09:10:00.000Z');

      const runs = [];
      for (let run = 0; run < 50; run += 1) {
        let reads = 0;
        const result = await fireDueTimers({ timers: store }, now, {
          shards,
          // Room for about 30 bucket-shard reads per run.
          outOfTime: () => {
            reads += 1;
            return reads > 30;
          },
        });
        runs.push(result);
        if (result.complete) break;
      }

      expect(runs.length).toBeGreaterThan(3);
      expect(runs.at(-1)?.complete).toBe(true);
      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
    });

    it('walks buckets in order: the cursor never skips a bucket it did not drain', async () => {
      const { store } = await setUp();
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T08:00', shards });

      const result = await fireDueTimers({ timers: store }, at('2030-01-01T09:00:00.000Z'), {
        shards,
        maxBuckets: 10,
      });

      expect(result).toMatchObject({ complete: false, bucketsVisited: 10 });
      expect(await store.readCursor()).toEqual({ drainedThrough: '2030-01-01T08:10', shards });
    });
  });

  describe('when a tick crashed half way through a bucket', () => {
    it('loses nothing and fires nothing twice when the next tick runs', async () => {
      const { table, store } = await setUp();
      const timers = Array.from({ length: 60 }, () => aTimer('2030-01-01T09:00:00.000Z'));
      await Promise.all(timers.map((timer) => store.schedule(timer)));
      const now = at('2030-01-01T09:05:00.000Z');
      // Page size 5: several fires per shard, and the crash hits in the middle of them.
      const crashing = new CrashingTimerStore(store, 4);

      await expect(
        fireDueTimers({ timers: crashing }, now, { shards, pageSize: 5, concurrency: 1 }),
      ).rejects.toThrow(SimulatedCrashError);
      const firedBeforeCrash = (await eventCounts(table, timers)).filter(([, count]) => count === 1);
      expect(firedBeforeCrash.length).toBeGreaterThan(0);
      expect(firedBeforeCrash.length).toBeLessThan(timers.length);
      expect(await store.readCursor()).toBeUndefined();

      const result = await fireDueTimers({ timers: store }, now, { shards, pageSize: 5 });

      expect(result).toMatchObject({ fired: timers.length - firedBeforeCrash.length, complete: true });
      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
      expect(await remainingTimers(store, ['2030-01-01T09:00'], shards)).toEqual([]);
    });

    it('removes a timer whose event was already written, and keeps that event as it was', async () => {
      const { table, store } = await setUp();
      const timer = aTimer('2030-01-01T09:00:00.000Z');
      await store.schedule(timer);
      const [due] = await remainingTimers(store, ['2030-01-01T09:00'], shards);
      if (due === undefined) throw new Error('the timer was not filed');
      // A tick that fired the timer before; its timer item is back as if the delete were lost.
      await store.fire([due], at('2030-01-01T09:00:30.000Z'));
      await store.schedule(timer);

      const result = await fireDueTimers({ timers: store }, at('2030-01-01T09:05:00.000Z'), { shards });

      expect(result).toMatchObject({ fired: 0, alreadyFired: 1 });
      expect(await eventsOf(table, timer.contactId)).toMatchObject([{ at: '2030-01-01T09:00:30.000Z' }]);
      expect(await remainingTimers(store, ['2030-01-01T09:00'], shards)).toEqual([]);
    });
  });

  describe('when a timer is four years out', () => {
    it('keeps it through the years and fires it when its time comes', async () => {
      const { table, store } = await setUp();
      const scheduledAt = at('2026-03-01T09:00:00.000Z');
      const copier = aTimer('2030-03-01T09:00:00.000Z', { nodeId: 'replacement-due' });
      await store.schedule(copier, scheduledAt);

      await fireDueTimers({ timers: store }, scheduledAt, { shards });
      await fireDueTimers({ timers: store }, at('2028-01-01T00:00:00.000Z'), { shards, maxBuckets: 10 });
      expect(await eventsOf(table, copier.contactId)).toEqual([]);

      // Four years of ticks every minute, condensed: the wheel has drained up to shortly before the due minute.
      const cursor = await store.readCursor();
      await store.advanceCursor(cursor, { drainedThrough: '2030-03-01T08:55', shards });
      await fireDueTimers({ timers: store }, at('2030-03-01T08:59:59.000Z'), { shards });
      expect(await eventsOf(table, copier.contactId)).toEqual([]);

      await fireDueTimers({ timers: store }, at('2030-03-01T09:00:01.000Z'), { shards });
      expect(await eventsOf(table, copier.contactId)).toMatchObject([
        { type: 'timer', data: { nodeId: 'replacement-due', dueAt: copier.dueAt } },
      ]);
    });
  });

  describe('when a timer is written late for its minute', () => {
    it('is still found, because the cursor waits for a minute to settle', async () => {
      const { table, store } = await setUp();
      await fireDueTimers({ timers: store }, at('2030-01-01T09:01:30.000Z'), { shards });
      // Written after the tick above had read 09:00 empty (a slow transaction, a clock behind).
      const late = aTimer('2030-01-01T09:00:59.000Z');
      await store.schedule(late);

      await fireDueTimers({ timers: store }, at('2030-01-01T09:02:30.000Z'), { shards });

      expect(await eventsOf(table, late.contactId)).toHaveLength(1);
    });

    it('fires a timer scheduled after its due time at the next tick', async () => {
      const { table, store } = await setUp();
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T09:00', shards });
      const overdue = aTimer('2029-12-01T00:00:00.000Z');
      await store.schedule(overdue, at('2030-01-01T09:03:10.000Z'));

      await fireDueTimers({ timers: store }, at('2030-01-01T09:03:20.000Z'), { shards });

      expect(await eventsOf(table, overdue.contactId)).toHaveLength(1);
    });
  });

  describe('when the shard count changes', () => {
    it('still fires timers written with fewer shards after it grows', async () => {
      const { table, store } = await setUp(2);
      const timers = Array.from({ length: 20 }, () => aTimer('2030-01-01T09:00:00.000Z'));
      await Promise.all(timers.map((timer) => store.schedule(timer)));

      await fireDueTimers({ timers: store }, at('2030-01-01T09:00:30.000Z'), { shards: 8 });

      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
    });

    it('keeps reading the shards it once read after it is lowered, so no timer is stranded', async () => {
      const { table, store } = await setUp(8);
      await fireDueTimers({ timers: store }, at('2030-01-01T09:00:00.000Z'), { shards: 8 });
      expect(await store.readCursor()).toMatchObject({ shards: 8 });
      const timers = Array.from({ length: 20 }, () => aTimer('2030-01-01T09:10:00.000Z'));
      await Promise.all(timers.map((timer) => store.schedule(timer)));

      await fireDueTimers({ timers: store }, at('2030-01-01T09:10:30.000Z'), { shards: 2 });

      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
      expect(await store.readCursor()).toMatchObject({ shards: 8 });
    });
  });

  describe('on the very first tick', () => {
    it('looks back a few minutes for timers filed before it ever ran', async () => {
      const { table, store } = await setUp();
      const now = at('2030-01-01T09:10:00.000Z');
      const recent = aTimer('2030-01-01T09:06:00.000Z');
      await store.schedule(recent);

      await fireDueTimers({ timers: store }, now, { shards });

      expect(await eventsOf(table, recent.contactId)).toHaveLength(1);
      expect((await store.readCursor())?.drainedThrough).toBe('2030-01-01T09:07');
    });
  });

  describe('when another tick moved the cursor first', () => {
    it('refuses the stale move', async () => {
      const { store } = await setUp();
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T09:00', shards });
      await store.advanceCursor(
        { drainedThrough: '2030-01-01T09:00', shards },
        { drainedThrough: '2030-01-01T09:01', shards },
      );

      await expect(
        store.advanceCursor(
          { drainedThrough: '2030-01-01T09:00', shards },
          { drainedThrough: '2030-01-01T09:01', shards },
        ),
      ).rejects.toThrow(/moved/);
    });
  });
});
