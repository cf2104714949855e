import { DateTime } from 'luxon';
import type { Contact } from './contact.js';
import type { ContactEvent } from './contact-event.js';
import { durationOf } from './durations.js';
import { isWithinIsoYears } from './iso-range.js';
import type { DateTrigger } from './journey-definition.js';
import { valueAt } from './references.js';
import { DateReachedData, type DateTimer } from './timer.js';
import { asDate } from './wait-time.js';

/** The calendar dates the trigger's path names on this contact (none, one, or one per list element). */
const datesOn = (trigger: DateTrigger, contact: Contact, zone: string): DateTime[] => {
  const found = valueAt({ contact }, trigger.date);
  const values = Array.isArray(found) ? found : [found];
  return values.flatMap((value) => {
    const date = asDate(value, zone);
    return date === undefined ? [] : [date.startOf('day')];
  });
};

/** The date in `year`; 29 February falls on the 28th in other years, as birthdays are kept. */
const inYear = (date: DateTime, year: number): DateTime => {
  const moved = date.set({ year });
  return moved.month === date.month ? moved : date.set({ year, day: 28 });
};

const dueAtFor = (trigger: DateTrigger, occurrence: DateTime): DateTime => {
  const shifted = trigger.offset === undefined ? occurrence : occurrence.plus(durationOf(trigger.offset));
  const [hour, minute] = trigger.at.split(':').map(Number);
  return shifted.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
};

/**
 * The anniversaries around `now`, oldest first: an offset moves a due time into
 * another year (three days before 1 January is in December), so the window
 * widens by the offset's years.
 */
const occurrencesOf = (trigger: DateTrigger, date: DateTime, now: DateTime): DateTime[] => {
  if (trigger.repeat !== 'yearly') return [date];
  const offsetYears =
    trigger.offset === undefined ? 0 : Math.ceil(Math.abs(durationOf(trigger.offset).as('years')));
  const years: number[] = [];
  for (let year = now.year - 1 - offsetYears; year <= now.year + 1 + offsetYears; year += 1) years.push(year);
  return years.map((year) => inYear(date, year));
};

const timerFor = (journeyId: string, contactId: string, occurrence: DateTime, dueAt: DateTime): DateTimer => {
  const day = occurrence.toISODate() ?? '';
  const due = dueAt.toUTC().toISO() ?? '';
  return {
    kind: 'date',
    id: `date#${journeyId}#${contactId}#${day}#${due}`,
    contactId,
    dueAt: due,
    journeyId,
    occurrence: day,
  };
};

const zoned = (now: Date, zone: string): DateTime => {
  const local = DateTime.fromJSDate(now, { zone });
  return local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
};

/**
 * The next time the trigger comes round for each date on the contact, in the
 * contact's zone: yearly triggers the next anniversary not yet past, one-off
 * triggers only a date still ahead. Scheduling these is idempotent (the ids are
 * the business identity), so they may be computed as often as convenient.
 */
export const upcomingDateTimers = (
  journeyId: string,
  trigger: DateTrigger,
  contact: Contact,
  now: Date,
  zone: string,
): DateTimer[] => {
  const local = zoned(now, zone);
  return datesOn(trigger, contact, local.zoneName ?? 'UTC').flatMap((date) => {
    const next = occurrencesOf(trigger, date, local)
      .map((occurrence) => ({ occurrence, dueAt: dueAtFor(trigger, occurrence) }))
      // A date in year 9999 has no next anniversary a timer could name.
      .filter(
        ({ occurrence, dueAt }) =>
          isWithinIsoYears(occurrence.toMillis()) && isWithinIsoYears(dueAt.toMillis()),
      )
      .find(({ dueAt }) => dueAt > local);
    return next === undefined ? [] : [timerFor(journeyId, contact.id, next.occurrence, next.dueAt)];
  });
};

/**
 * Whether a fired `date_reached` event still stands: the journey is this one, the
 * contact still has that date, and the trigger as published now puts it at that
 * time. A birthday corrected since, or an offset changed in a new version, makes
 * the old timer stale; the new one was filed when the change was made.
 */
export const dateTriggerFired = (
  journeyId: string,
  trigger: DateTrigger,
  contact: Contact,
  event: ContactEvent,
  zone: string,
): boolean => {
  if (event.type !== 'date_reached') return false;
  const parsed = DateReachedData.safeParse(event.data);
  if (!parsed.success || parsed.data.journeyId !== journeyId) return false;
  const { occurrence, dueAt } = parsed.data;
  const local = zoned(new Date(dueAt), zone);
  return datesOn(trigger, contact, local.zoneName ?? 'UTC').some((date) =>
    occurrencesOf(trigger, date, local).some((candidate) => {
      const timer = timerFor(journeyId, contact.id, candidate, dueAtFor(trigger, candidate));
      return timer.occurrence === occurrence && timer.dueAt === new Date(dueAt).toISOString();
    }),
  );
};

/** The event a fired date timer becomes; its id comes from the timer, so firing twice writes one event. */
export const dateReachedEvent = (timer: DateTimer, firedAt: Date): ContactEvent => ({
  id: `date-${Buffer.from(timer.id).toString('base64url')}`,
  contactId: timer.contactId,
  type: 'date_reached',
  at: firedAt.toISOString(),
  data: { journeyId: timer.journeyId, occurrence: timer.occurrence, dueAt: timer.dueAt },
});
