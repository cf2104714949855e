import { DateTime } from 'luxon';
import { durationOf } from './durations.js';
import { checkedDate } from './iso-range.js';
import type { WaitNode, WaitUntil, Weekday } from './journey-definition.js';
import { valueAt } from './references.js';

const weekdayNumbers: Record<Weekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

export class WaitDateMissingError extends Error {
  override readonly name = 'WaitDateMissingError';
}

/** Reads `contact.x.y` / `event.data.z` from the context; dates may be ISO strings or epoch milliseconds. */
export const dateAt = (path: string, context: Record<string, unknown>, zone: string): DateTime | undefined =>
  asDate(valueAt(context, path), zone);

/** A date as ISO text or epoch milliseconds, read in `zone` when it has no offset of its own. */
export const asDate = (value: unknown, zone: string): DateTime | undefined => {
  const parsed =
    typeof value === 'string'
      ? DateTime.fromISO(value, { zone })
      : typeof value === 'number'
        ? DateTime.fromMillis(value, { zone })
        : undefined;
  return parsed?.isValid ? parsed : undefined;
};

const atTimeOfDay = (moment: DateTime, at: string): DateTime => {
  const [hour, minute] = at.split(':').map(Number);
  return moment.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
};

const untilDueAt = (until: WaitUntil, context: Record<string, unknown>, now: DateTime): DateTime => {
  const zone = now.zoneName ?? 'UTC';
  // Re-applied on every day it moves to: a time shifted past a DST gap is not the time asked for the next day.
  const onDay = (day: DateTime) => (until.at === undefined ? day : atTimeOfDay(day, until.at));
  let due: DateTime;
  if (until.date !== undefined) {
    const base = dateAt(until.date, context, zone);
    if (base === undefined) throw new WaitDateMissingError(`${until.date} is not a date for this contact`);
    due = until.offset === undefined ? base : base.plus(durationOf(until.offset));
    // A date-based wait means that calendar day at that time, even if the day's moment was later.
    if (until.at !== undefined) due = atTimeOfDay(due, until.at);
  } else {
    due = onDay(now);
    if (due < now) due = onDay(now.plus({ days: 1 }));
  }
  if (until.weekdays !== undefined) {
    const allowed = new Set(until.weekdays.map((day) => weekdayNumbers[day]));
    for (let guard = 0; !allowed.has(due.weekday) && guard < 7; guard += 1) {
      // Re-apply the time of day: adding a day across a DST change keeps the wall-clock time in luxon.
      due = onDay(due.plus({ days: 1 }));
    }
  }
  return due;
};

/**
 * When a wait node releases the contact, computed in the contact's time zone so
 * "09:00" means their morning, and calendar arithmetic (days, months, years)
 * follows their clock across DST changes.
 */
export const waitDueAt = (
  node: WaitNode,
  context: Record<string, unknown>,
  now: Date,
  zone: string,
): Date => {
  const local = DateTime.fromJSDate(now, { zone });
  const zoned = local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
  const due =
    node.duration !== undefined
      ? zoned.plus(durationOf(node.duration))
      : node.until !== undefined
        ? untilDueAt(node.until, context, zoned)
        : zoned;
  return checkedDate(due, `the end of the wait at ${node.id}`);
};

export const afterDuration = (duration: string, now: Date, zone: string): Date => {
  const local = DateTime.fromJSDate(now, { zone });
  return checkedDate(
    (local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' })).plus(durationOf(duration)),
    `${duration} after ${now.toISOString()}`,
  );
};
