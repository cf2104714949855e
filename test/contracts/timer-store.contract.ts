import { beforeAll, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import { type DateTimer, type MessageTimer, type Timer, timerEventId } from '../../lib/domain/timer.js';
import { minuteBucket, type TimerLocation, timerLocation } from '../../lib/ports/timer-store.js';
import { aMessage, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const aTimer = (dueAt: string, overrides: Partial<Timer> = {}): Timer => {
  const enrollmentId = newId();
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

const at = (iso: string): Date => new Date(iso);

/** TimerStore and MessageDeferrals: the wheel fireDueTimers reads. */
export const timerStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    const locationOf = (timer: Pick<Timer, 'id' | 'dueAt'>, scheduledAt?: Date): TimerLocation =>
      timerLocation(timer, stores.timerShards, scheduledAt);
    const eventsOf = async (contactId: string) =>
      (await stores.personalData.partition(contactId))
        .filter((item) => item.group === 'events')
        .map((item) => item.item);

    describe('when a timer is scheduled', () => {
      it('files it in the bucket and shard of its due minute, once however often it is scheduled', async () => {
        const timer = aTimer('2030-01-01T09:00:10.000Z');
        await stores.timers.schedule(timer);
        await stores.timers.schedule(timer);

        const due = await stores.timers.dueIn(locationOf(timer), at('2030-01-01T09:00:30.000Z'), 100);

        expect(due.filter((found) => found.timer.id === timer.id)).toEqual([
          { timer, location: locationOf(timer) },
        ]);
      });

      it('files a timer scheduled after its due minute in the minute it was scheduled', async () => {
        const timer = aTimer('2029-12-01T00:00:00.000Z');
        const scheduledAt = at('2030-01-01T09:03:10.000Z');
        await stores.timers.schedule(timer, scheduledAt);

        const location = locationOf(timer, scheduledAt);
        expect(location.bucket).toBe('2030-01-01T09:03');
        expect(
          (await stores.timers.dueIn(location, at('2030-01-01T09:03:20.000Z'), 100)).map((due) => due.timer),
        ).toContainEqual(timer);
      });
    });

    describe('reading a bucket', () => {
      it('gives the timers due by now, earliest first, up to the limit', async () => {
        const own = await make({ timerShards: 1 });
        const timers = ['09:00:40', '09:00:05', '09:00:20', '09:00:55'].map((time) =>
          aTimer(`2030-02-01T${time}.000Z`),
        );
        for (const timer of timers) await own.timers.schedule(timer);
        const location = { bucket: '2030-02-01T09:00', shard: 0 };

        const due = await own.timers.dueIn(location, at('2030-02-01T09:00:40.000Z'), 100);
        expect(due.map((found) => found.timer.dueAt)).toEqual([
          '2030-02-01T09:00:05.000Z',
          '2030-02-01T09:00:20.000Z',
          '2030-02-01T09:00:40.000Z',
        ]);
        expect(
          (await own.timers.dueIn(location, at('2030-02-01T09:01:00.000Z'), 2)).map(
            (found) => found.timer.dueAt,
          ),
        ).toEqual(['2030-02-01T09:00:05.000Z', '2030-02-01T09:00:20.000Z']);
        expect(
          await own.timers.dueIn({ bucket: '2030-02-01T09:01', shard: 0 }, at('2031-01-01'), 10),
        ).toEqual([]);
      });
    });

    describe('when due timers are fired', () => {
      it('turns a timer into its timer event, a date timer into date_reached and a deferred message into its copy', async () => {
        const timer = aTimer('2030-03-01T09:00:00.000Z');
        const contactId = newId();
        const dateTimer: DateTimer = {
          kind: 'date',
          id: `date#birthday#${contactId}#2030-03-01#2030-03-01T09:00:00.000Z`,
          contactId,
          dueAt: '2030-03-01T09:00:00.000Z',
          journeyId: 'birthday',
          occurrence: '2030-03-01',
        };
        const copy = aMessage(contactId, { key: `news#${newId()}#hello#1~d1`, kind: 'marketing' });
        const messageTimer: MessageTimer = {
          kind: 'message',
          id: `msg#${contactId}#${copy.key}`,
          contactId,
          dueAt: '2030-03-01T09:00:00.000Z',
          message: copy,
        };
        await stores.timers.schedule(timer);
        await stores.timers.schedule(dateTimer);
        await stores.timers.deferMessage(messageTimer, at('2030-02-01T00:00:00.000Z'));
        const firedAt = at('2030-03-01T09:00:30.000Z');
        const ids = [timer.id, dateTimer.id, messageTimer.id];
        // Two of them may share a bucket and shard: read each place once.
        const places = [
          ...new Map(
            [timer, dateTimer, messageTimer].map((wheel) => {
              const place = locationOf(
                wheel,
                wheel === messageTimer ? at('2030-02-01T00:00:00.000Z') : undefined,
              );
              return [`${place.bucket}/${place.shard}`, place] as const;
            }),
          ).values(),
        ];
        const due = (await Promise.all(places.map((place) => stores.timers.dueIn(place, firedAt, 100))))
          .flat()
          .filter((found) => ids.includes(found.timer.id));
        expect(due).toHaveLength(3);

        expect(await stores.timers.fire(due, firedAt)).toEqual({ fired: 3, alreadyFired: 0 });

        const { contactId: timerContact, ...data } = timer;
        expect(await eventsOf(timerContact)).toEqual([
          {
            id: timerEventId(timer),
            contactId: timerContact,
            type: 'timer',
            at: firedAt.toISOString(),
            data,
          },
        ]);
        expect(await eventsOf(contactId)).toEqual([
          expect.objectContaining({
            type: 'date_reached',
            at: firedAt.toISOString(),
            data: { journeyId: 'birthday', occurrence: '2030-03-01', dueAt: dateTimer.dueAt },
          }),
        ]);
        expect(await stores.outbox.get(contactId, copy.key)).toEqual(copy);
        for (const wheel of [timer, dateTimer, messageTimer]) {
          const left = await stores.timers.dueIn(locationOf(wheel), at('2031-01-01T00:00:00.000Z'), 100);
          expect(left.filter((found) => found.timer.id === wheel.id)).toEqual([]);
        }
      });

      it('removes a timer whose event was already written and keeps that event as it was', async () => {
        const timer = aTimer('2030-04-01T09:00:00.000Z');
        await stores.timers.schedule(timer);
        const due = (
          await stores.timers.dueIn(locationOf(timer), at('2030-04-01T09:00:30.000Z'), 100)
        ).filter((found) => found.timer.id === timer.id);
        await stores.timers.fire(due, at('2030-04-01T09:00:30.000Z'));
        // Its timer item is back, as if the delete had been lost.
        await stores.timers.schedule(timer);

        expect(await stores.timers.fire(due, at('2030-04-01T09:05:00.000Z'))).toEqual({
          fired: 0,
          alreadyFired: 1,
        });
        expect(await eventsOf(timer.contactId)).toMatchObject([{ at: '2030-04-01T09:00:30.000Z' }]);
        expect(
          (await stores.timers.dueIn(locationOf(timer), at('2031-01-01T00:00:00.000Z'), 100)).filter(
            (found) => found.timer.id === timer.id,
          ),
        ).toEqual([]);
      });

      it('completes a firing cut short after its writes: a message already sent and a date event are kept, their timers removed', async () => {
        const own = await make({ timerShards: 1 });
        const contactId = newId();
        const copy = aMessage(contactId, { key: `news#${newId()}#hello#1`, kind: 'marketing' });
        const messageTimer: MessageTimer = {
          kind: 'message',
          id: `msg#${contactId}#${copy.key}`,
          contactId,
          dueAt: '2030-04-02T09:00:00.000Z',
          message: copy,
        };
        const dateTimer: DateTimer = {
          kind: 'date',
          id: `date#birthday#${contactId}#2030-04-02#2030-04-02T09:00:00.000Z`,
          contactId,
          dueAt: '2030-04-02T09:00:00.000Z',
          journeyId: 'birthday',
          occurrence: '2030-04-02',
        };
        await own.timers.deferMessage(messageTimer, at('2030-04-01T00:00:00.000Z'));
        await own.timers.schedule(dateTimer);
        const location = { bucket: '2030-04-02T09:00', shard: 0 };
        const due = await own.timers.dueIn(location, at('2030-04-02T09:00:30.000Z'), 100);
        await own.timers.fire(due, at('2030-04-02T09:00:30.000Z'));
        // The message goes on its way; then both timers are back, as if the tick died before deleting them.
        await own.outbox.claim(contactId, copy.key, at('2030-04-02T09:00:31.000Z'), 60_000);
        await own.outbox.markSent(contactId, copy.key, {
          providerMessageId: 'ses-1',
          sentAt: at('2030-04-02T09:00:32.000Z'),
        });
        await own.timers.deferMessage(messageTimer, at('2030-04-01T00:00:00.000Z'));
        await own.timers.schedule(dateTimer);

        expect(await own.timers.fire(due, at('2030-04-02T09:05:00.000Z'))).toEqual({
          fired: 0,
          alreadyFired: 2,
        });
        expect(await own.outbox.get(contactId, copy.key)).toMatchObject({ status: 'sent' });
        expect(
          (await own.personalData.partition(contactId)).filter((item) => item.group === 'events'),
        ).toMatchObject([{ item: { type: 'date_reached', at: '2030-04-02T09:00:30.000Z' } }]);
        expect(await own.timers.dueIn(location, at('2031-01-01T00:00:00.000Z'), 100)).toEqual([]);
      });

      it('fires many at once, some already fired, each exactly once', async () => {
        const own = await make({ timerShards: 1 });
        const timers = Array.from({ length: 60 }, () => aTimer('2030-05-01T09:00:00.000Z'));
        for (const timer of timers) await own.timers.schedule(timer);
        const location = { bucket: '2030-05-01T09:00', shard: 0 };
        const due = await own.timers.dueIn(location, at('2030-05-01T09:00:01.000Z'), 100);
        await own.timers.fire(due.slice(10, 15), at('2030-05-01T09:00:01.000Z'));

        expect(await own.timers.fire(due, at('2030-05-01T09:00:02.000Z'))).toEqual({
          fired: 55,
          alreadyFired: 5,
        });
        expect(await own.timers.dueIn(location, at('2031-01-01T00:00:00.000Z'), 100)).toEqual([]);
        const counts = await Promise.all(
          timers.map(
            async (timer) =>
              (await own.personalData.partition(timer.contactId)).filter((item) => item.group === 'events')
                .length,
          ),
        );
        expect(counts.every((count) => count === 1)).toBe(true);
      });
    });

    describe('when a timer is removed', () => {
      it('leaves nothing to fire', async () => {
        const timer = aTimer('2030-06-01T09:00:00.000Z');
        await stores.timers.schedule(timer);

        await stores.timers.remove(timer);
        await stores.timers.remove(timer);

        expect(
          (await stores.timers.dueIn(locationOf(timer), at('2031-01-01T00:00:00.000Z'), 100)).filter(
            (found) => found.timer.id === timer.id,
          ),
        ).toEqual([]);
      });
    });

    describe('the cursor', () => {
      it('starts missing, is created once, and moves only from where it is', async () => {
        const own = await make();
        expect(await own.timers.readCursor()).toBeUndefined();
        const first = { drainedThrough: minuteBucket(at('2030-01-01T09:00:00Z')), shards: 4 };
        await own.timers.advanceCursor(undefined, first);
        await expect(own.timers.advanceCursor(undefined, first)).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
        const second = { drainedThrough: '2030-01-01T09:01', shards: 4 };
        await own.timers.advanceCursor(first, second);

        await expect(
          own.timers.advanceCursor(first, { drainedThrough: '2030-01-01T09:02', shards: 4 }),
        ).rejects.toThrow(/moved/);
        await expect(
          own.timers.advanceCursor(
            { ...second, shards: 8 },
            { drainedThrough: '2030-01-01T09:02', shards: 8 },
          ),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await own.timers.readCursor()).toEqual(second);
      });
    });
  });
