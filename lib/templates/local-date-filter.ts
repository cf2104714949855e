import type { FilterImplOptions } from 'liquidjs';
import { DateTime } from 'luxon';

/** What liquidjs binds `this` to in a filter: the render context among it. */
type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;

/** The language a date is written in when the contact has none of their own. */
export const defaultDateLocale = 'en-GB';

const textAt = (filter: FilterImpl, path: string[]): string | undefined => {
  const value = filter.context.getSync(path);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const knownLocale = (locale: string | undefined): string =>
  locale !== undefined && Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0
    ? locale
    : defaultDateLocale;

/**
 * `{{ trigger.item.replacementDueAt | local_date }}`: a date in the reader's
 * calendar, in their time zone (`contact.timeZone`) and their language's format
 * (`contact.locale`, else en-GB): "2 January 2027". A date without a time is that
 * calendar day wherever the reader is. Anything that is not a date renders as the
 * fallback given (`| local_date: "soon"`), else as nothing: never "undefined" or
 * "Invalid DateTime".
 */
export function localDate(this: FilterImpl, value: unknown, fallback?: unknown): string {
  const zone = textAt(this, ['contact', 'timeZone']) ?? 'UTC';
  const parsed =
    typeof value === 'string'
      ? DateTime.fromISO(value, { zone })
      : value instanceof Date
        ? DateTime.fromJSDate(value, { zone })
        : undefined;
  const local = parsed?.isValid === true ? parsed : undefined;
  if (local === undefined) return typeof fallback === 'string' ? fallback : '';
  const zoned = local.zone.isValid ? local : local.setZone('UTC');
  return zoned.setLocale(knownLocale(textAt(this, ['contact', 'locale']))).toLocaleString(DateTime.DATE_FULL);
}
