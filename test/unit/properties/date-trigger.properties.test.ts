import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateReachedEvent, dateTriggerFired, upcomingDateTimers } from '../../../lib/domain/date-trigger.js';
import { DateTrigger } from '../../../lib/domain/journey-definition.js';
import { aContact } from '../domain/support/journeys.js';

const runs = { numRuns: 300 };
const zones = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Asia/Kolkata',
];

const birthdayArb = fc
  .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const nowArb = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2035-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const timeArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const offsetArb = fc.option(
  fc.integer({ min: -60, max: 60 }).map((days) => (days < 0 ? `-P${-days}D` : `P${days}D`)),
  {
    nil: undefined,
  },
);

describe('yearly date triggers, whatever the date, zone, offset and time of day', () => {
  it('file exactly one next occurrence, after now and within a year and the offset', () => {
    fc.assert(
      fc.property(
        birthdayArb,
        nowArb,
        fc.constantFrom(...zones),
        timeArb,
        offsetArb,
        (birthday, now, zone, at, offset) => {
          const trigger = DateTrigger.parse({
            date: 'contact.attributes.birthday',
            repeat: 'yearly',
            at,
            offset,
          });
          const timers = upcomingDateTimers('j', trigger, aContact({ attributes: { birthday } }), now, zone);
          expect(timers).toHaveLength(1);
          const due = new Date(timers[0]?.dueAt ?? 0).getTime();
          expect(due).toBeGreaterThan(now.getTime());
          expect(due - now.getTime()).toBeLessThanOrEqual((366 + 61) * 86_400_000);
        },
      ),
      runs,
    );
  });

  it('fall on the birthday’s month and day (28 February for a leap day) shifted by the offset, at that local time', () => {
    fc.assert(
      fc.property(birthdayArb, nowArb, fc.constantFrom(...zones), timeArb, (birthday, now, zone, at) => {
        const trigger = DateTrigger.parse({ date: 'contact.attributes.birthday', repeat: 'yearly', at });
        const [timer] = upcomingDateTimers('j', trigger, aContact({ attributes: { birthday } }), now, zone);
        const local = DateTime.fromISO(timer?.dueAt ?? '', { zone });
        const [, month, day] = birthday.split('-').map(Number);
        expect(local.month).toBe(month);
        const leapDayElsewhere = month === 2 && day === 29 && !local.isInLeapYear;
        expect(local.day).toBe(leapDayElsewhere ? 28 : day);
        // A time that does not exist on that day (a DST gap) moves forward, never back.
        expect(local.toFormat('HH:mm') >= at || local.hour === (Number(at.slice(0, 2)) + 1) % 24).toBe(true);
      }),
      runs,
    );
  });

  it('fire once: the timer that came round stands, and the next one filed is a year later', () => {
    fc.assert(
      fc.property(birthdayArb, nowArb, fc.constantFrom(...zones), (birthday, now, zone) => {
        const trigger = DateTrigger.parse({ date: 'contact.attributes.birthday', repeat: 'yearly' });
        const contact = aContact({ attributes: { birthday } });
        const [timer] = upcomingDateTimers('j', trigger, contact, now, zone);
        if (timer === undefined) throw new Error('no timer');
        const firedAt = new Date(timer.dueAt);
        expect(dateTriggerFired('j', trigger, contact, dateReachedEvent(timer, firedAt), zone)).toBe(true);
        const [next] = upcomingDateTimers('j', trigger, contact, firedAt, zone);
        expect(next?.id).not.toBe(timer.id);
        expect(Number(next?.occurrence.slice(0, 4))).toBe(Number(timer.occurrence.slice(0, 4)) + 1);
      }),
      runs,
    );
  });
});
