import type { DateTime } from 'luxon';

/**
 * ISO 8601 without its expanded-year extension: years 0000 to 9999. That is
 * what the schemas (`z.iso.datetime`, `z.iso.date`), the sort keys and every
 * reader of a stored date assume; `+010000-06-01` is valid JavaScript output
 * and poison everywhere else, so a date computation that leaves the range is
 * refused instead of stored.
 */
export const earliestIsoMs = Date.parse('0000-01-01T00:00:00.000Z');
export const latestIsoMs = Date.parse('9999-12-31T23:59:59.999Z');

/** A computed date fell outside years 0000-9999 (a far-future timestamp plus a cycle, a huge wait). */
export class DateOutOfRangeError extends Error {
  override readonly name = 'DateOutOfRangeError';
}

export const isWithinIsoYears = (ms: number): boolean =>
  Number.isFinite(ms) && ms >= earliestIsoMs && ms <= latestIsoMs;

/** The moment as a Date, or DateOutOfRangeError naming what was computed. */
export const checkedDate = (moment: Date | DateTime, what: string): Date => {
  const ms = moment instanceof Date ? moment.getTime() : moment.isValid ? moment.toMillis() : Number.NaN;
  if (!isWithinIsoYears(ms)) {
    throw new DateOutOfRangeError(`${what} falls outside the years 0000-9999`);
  }
  return new Date(ms);
};

/** `YYYY-MM-DD` (UTC) of a computed moment, or DateOutOfRangeError. */
export const checkedIsoDay = (ms: number, what: string): string =>
  checkedDate(new Date(ms), what).toISOString().slice(0, 10);
