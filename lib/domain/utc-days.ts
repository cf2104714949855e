import { DateTime } from 'luxon';

/** The last `count` UTC days, today included, oldest first, as `YYYY-MM-DD`: how the daily counters are keyed. */
export const lastDays = (count: number, now: Date): string[] => {
  const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  return Array.from({ length: count }, (_, index) =>
    today.minus({ days: count - 1 - index }).toISODate(),
  ).filter((day): day is string => day !== null);
};
