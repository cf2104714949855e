import { describe, expect, it } from 'vitest';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import type { Timer } from '../../../lib/domain/timer.js';
import { readStreamRecords } from '../support/stream.js';
import { createTestTable, type TestTable } from '../support/table.js';
import { aTimer, at, eventsOf, remainingTimers } from './timer-wheel-support.js';

const shards = 4;

const setUp = async (writeShards = shards) => {
  const table = await createTestTable({ stream: true });
  const store = new DynamoTimerStore(table.documentClient, table.tableName, writeShards);
  return { table, store };
};

/** Events for all the timers' contacts, as [timer id, event count]. */
const eventCounts = async (table: TestTable, timers: readonly Timer[]) =>
  Promise.all(timers.map(async (timer) => [timer.id, (await eventsOf(table, timer.contactId)).length]));

const oncePerTimer = (timers: readonly Timer[]) => timers.map((timer) => [timer.id, 1]);

/**
 * Two ticks racing on DynamoDB: transactions that collide. The rest of the tick's
 * walk runs on the memory wheel in test/unit/app/fire-due-timers.test.ts.
 */
describe('firing due timers', () => {
  describe('when two ticks run at the same time', () => {
    it('starts each timer event once between them: one INSERT on the stream, which is all the consumers read', async () => {
      const { table, store } = await setUp();
      const other = new DynamoTimerStore(table.documentClient, table.tableName, shards);
      const timers = Array.from({ length: 120 }, (_, index) => aTimer(`2030-01-01T09:0${index % 3}:10.000Z`));
      await Promise.all(timers.map((timer) => store.schedule(timer)));
      await store.advanceCursor(undefined, { drainedThrough: '2030-01-01T08:59', shards });
      const now = at('2030-01-01T09:06:00.000Z');

      const [first, second] = await Promise.all([
        fireDueTimers({ timers: store }, now, { shards, pageSize: 10 }),
        fireDueTimers({ timers: other }, now, { shards, pageSize: 10 }),
      ]);

      // A put racing past the other tick's read replaces the event: counted by both, started once.
      expect(first.fired + second.fired).toBeGreaterThanOrEqual(timers.length);
      expect(await eventCounts(table, timers)).toEqual(oncePerTimer(timers));
      const inserted = (await readStreamRecords(table)).filter(
        (record) => record.eventName === 'INSERT' && record.dynamodb?.Keys?.SK?.S?.startsWith('EV#') === true,
      );
      expect(inserted).toHaveLength(timers.length);
      expect(
        await remainingTimers(store, ['2030-01-01T09:00', '2030-01-01T09:01', '2030-01-01T09:02'], shards),
      ).toEqual([]);
    });
  });
});
