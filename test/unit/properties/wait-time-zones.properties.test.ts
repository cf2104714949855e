import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Weekday } from '../../../lib/domain/journey-definition.js';
import { stepJourney } from '../../../lib/domain/journey-engine.js';
import type { RawJourney } from './arbitraries.js';
import { timeOfDayNearGapsArb, weekdaySetArb, weekdays, zonedInstantArb } from './arbitraries.js';
import { publishRaw } from './history.js';

const runs = { numRuns: 300 };
const hour = 60 * 60 * 1000;

type WaitSpec = Pick<Extract<RawJourney['nodes'][number], { type: 'wait' }>, 'duration' | 'until'>;

/** When the engine lets a contact in `zone` out of a wait entered at `now`. */
const dueAt = (wait: WaitSpec, zone: string, now: Date): DateTime => {
  const journey = publishRaw({
    id: 'zoned-wait',
    name: 'Zoned wait',
    trigger: { event: 'signup_confirmed' },
    start: 'hold',
    nodes: [
      { id: 'hold', type: 'wait', ...wait, next: 'bye' },
      { id: 'bye', type: 'exit' },
    ],
  });
  const created = '2026-01-01T00:00:00.000Z';
  const result = stepJourney({
    journey,
    enrollment: undefined,
    contact: {
      id: 'c1',
      email: 'c1@example.com',
      timeZone: zone,
      consent: {
        email: { status: 'subscribed', changedAt: created },
        sms: { status: 'none', changedAt: created },
      },
      topics: [],
      pendingTopics: [],
      attributes: {},
      acquisition: { at: created },
      createdAt: created,
      updatedAt: created,
      version: 1,
    },
    trigger: {
      type: 'event',
      event: { id: 'e1', contactId: 'c1', type: 'signup_confirmed', at: now.toISOString(), data: {} },
    },
    now,
    defaultTimeZone: 'UTC',
  });
  const waiting = result?.enrollment.waiting;
  if (waiting?.kind !== 'timer') throw new Error('the wait set no timer');
  return DateTime.fromISO(waiting.dueAt, { zone });
};

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}
interface WallTime {
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

/** Only the clock fields: luxon refuses unknown keys such as `text`. */
const clock = (time: WallTime) => ({
  hour: time.hour,
  minute: time.minute,
  second: time.second ?? 0,
  millisecond: time.millisecond ?? 0,
});

const dayOf = (moment: DateTime): CalendarDay => ({
  year: moment.year,
  month: moment.month,
  day: moment.day,
});
const addDays = (day: CalendarDay, days: number): CalendarDay =>
  dayOf(DateTime.utc(day.year, day.month, day.day).plus({ days }));
const sameDay = (moment: DateTime, day: CalendarDay) =>
  moment.year === day.year && moment.month === day.month && moment.day === day.day;

/**
 * Every instant at which the zone's clock reads `time` on `day`: none on a DST gap,
 * two in an overlap. Every offset change in these zones is one hour.
 */
const instantsAt = (zone: string, day: CalendarDay, time: WallTime): DateTime[] => {
  const guess = DateTime.fromObject({ ...day, ...clock(time) }, { zone });
  return [-60, 0, 60]
    .map((minutes) => guess.plus({ minutes }))
    .filter(
      (moment) =>
        sameDay(moment, day) &&
        moment.hour === time.hour &&
        moment.minute === time.minute &&
        moment.second === (time.second ?? 0) &&
        moment.millisecond === (time.millisecond ?? 0),
    );
};

/** Luxon's reading of a wall-clock time that does not exist: pushed forward by the length of the gap. */
const pastTheGap = (zone: string, day: CalendarDay, time: WallTime): DateTime =>
  DateTime.fromObject({ ...day, ...clock(time) }, { zone });

/** In the zone, `moment` reads `time` on its day, or, where that day skips `time`, luxon's shifted reading of it. */
const expectWallTime = (moment: DateTime, zone: string, time: WallTime) => {
  const day = dayOf(moment);
  if (instantsAt(zone, day, time).length > 0) {
    expect({
      hour: moment.hour,
      minute: moment.minute,
      second: moment.second,
      millisecond: moment.millisecond,
    }).toEqual(clock(time));
  } else {
    const shifted = pastTheGap(zone, day, time);
    const gapMinutes = shifted.offset - shifted.minus({ hours: 3 }).offset;
    expect(gapMinutes).toBeGreaterThan(0);
    expect(moment.toMillis()).toBe(shifted.toMillis());
    expect(shifted.hour * 60 + shifted.minute - (time.hour * 60 + time.minute)).toBe(gapMinutes);
  }
};

/** The first moment at or after `now` when the zone's clock reads `time` on an allowed day. */
const firstAtOrAfter = (
  zone: string,
  now: DateTime,
  time: WallTime,
  allowed: readonly Weekday[] = weekdays,
): DateTime | undefined => {
  for (let offset = 0; offset <= 8; offset += 1) {
    const day = addDays(dayOf(now), offset);
    const weekday = weekdays[DateTime.utc(day.year, day.month, day.day).weekday - 1];
    if (weekday === undefined || !allowed.includes(weekday)) continue;
    const exact = instantsAt(zone, day, time);
    const candidates = exact.length > 0 ? exact : [pastTheGap(zone, day, time)];
    const first = candidates.filter((moment) => moment >= now).sort((a, b) => a.toMillis() - b.toMillis())[0];
    if (first !== undefined) return first;
  }
  return undefined;
};

/**
 * What a time-of-day wait may pick: the first such moment; or, on a day whose clocks
 * turn back through that time, so that it happens twice, either occurrence still to
 * come, or the next allowed day's, as a repeated hour may count once.
 */
const acceptableDue = (
  zone: string,
  now: DateTime,
  time: WallTime,
  allowed: readonly Weekday[] = weekdays,
): number[] => {
  const first = firstAtOrAfter(zone, now, time, allowed);
  if (first === undefined) return [];
  const occurrences = instantsAt(zone, dayOf(first), time);
  if (occurrences.length < 2) return [first.toMillis()];
  const skipped = firstAtOrAfter(
    zone,
    DateTime.fromObject(addDays(dayOf(first), 1), { zone }),
    time,
    allowed,
  );
  return [...occurrences.filter((moment) => moment >= now), ...(skipped === undefined ? [] : [skipped])].map(
    (moment) => moment.toMillis(),
  );
};

const weekdayOf = (moment: DateTime): Weekday | undefined => weekdays[moment.weekday - 1];

describe('a wait until a time of day, in the contact’s time zone, across DST changes', () => {
  const cases = fc.record({ where: zonedInstantArb, at: timeOfDayNearGapsArb });

  it('falls due at or after now and within 25 hours', () => {
    fc.assert(
      fc.property(cases, ({ where: { zone, now }, at }) => {
        const due = dueAt({ until: { at: at.text } }, zone, now);
        expect(due.toMillis()).toBeGreaterThanOrEqual(now.getTime());
        expect(due.toMillis() - now.getTime()).toBeLessThanOrEqual(25 * hour);
      }),
      runs,
    );
  });

  it('falls due at the requested local time, or on a day that skips it, that time pushed forward by the gap', () => {
    fc.assert(
      fc.property(cases, ({ where: { zone, now }, at }) => {
        const due = dueAt({ until: { at: at.text } }, zone, now);
        expectWallTime(due, zone, at);
      }),
      runs,
    );
  });

  it('falls due at the first such moment, or either occurrence of an hour the clocks turn back, or the next day', () => {
    fc.assert(
      fc.property(cases, ({ where: { zone, now }, at }) => {
        const local = DateTime.fromJSDate(now, { zone });
        const due = dueAt({ until: { at: at.text } }, zone, now);
        expect(acceptableDue(zone, local, at)).toContain(due.toMillis());
      }),
      runs,
    );
  });

  describe('when only some weekdays are allowed', () => {
    const weekdayCases = fc.record({ where: zonedInstantArb, at: timeOfDayNearGapsArb, days: weekdaySetArb });

    it('falls due on an allowed weekday, at or after now and within 8 days', () => {
      fc.assert(
        fc.property(weekdayCases, ({ where: { zone, now }, at, days }) => {
          const due = dueAt({ until: { at: at.text, weekdays: days } }, zone, now);
          expect(days).toContain(weekdayOf(due));
          expect(due.toMillis()).toBeGreaterThanOrEqual(now.getTime());
          expect(due.toMillis() - now.getTime()).toBeLessThanOrEqual(8 * 24 * hour);
        }),
        runs,
      );
    });

    it('falls due at the requested local time, or pushed forward by the gap, at the first such moment', () => {
      fc.assert(
        fc.property(weekdayCases, ({ where: { zone, now }, at, days }) => {
          const local = DateTime.fromJSDate(now, { zone });
          const due = dueAt({ until: { at: at.text, weekdays: days } }, zone, now);
          expectWallTime(due, zone, at);
          expect(acceptableDue(zone, local, at, days)).toContain(due.toMillis());
        }),
        runs,
      );
    });
  });

  describe('at 09:00, as a morning send', () => {
    it('always falls due at 09:00 local, whatever the day and zone', () => {
      fc.assert(
        fc.property(zonedInstantArb, fc.option(weekdaySetArb, { nil: undefined }), ({ zone, now }, days) => {
          const due = dueAt(
            { until: { at: '09:00', ...(days === undefined ? {} : { weekdays: days }) } },
            zone,
            now,
          );
          expect(due.toFormat('HH:mm:ss.SSS')).toBe('09:00:00.000');
        }),
        runs,
      );
    });
  });
});

describe('a wait of P1D in the contact’s time zone', () => {
  it('ends at the same local wall-clock time the next calendar day, pushed forward only across a gap', () => {
    fc.assert(
      fc.property(zonedInstantArb, ({ zone, now }) => {
        const local = DateTime.fromJSDate(now, { zone });
        const due = dueAt({ duration: 'P1D' }, zone, now);
        const nextDay = addDays(dayOf(local), 1);
        expect(dayOf(due)).toEqual(nextDay);
        expectWallTime(due, zone, {
          hour: local.hour,
          minute: local.minute,
          second: local.second,
          millisecond: local.millisecond,
        });
      }),
      runs,
    );
  });
});
