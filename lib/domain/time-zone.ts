import { z } from 'zod';

/**
 * Whether `zone` names a time zone the runtime can convert to: canonical IANA
 * names, their aliases (`US/Pacific`, `Asia/Calcutta`) and `UTC`, in any case.
 * Asked of Intl rather than of `Intl.supportedValuesOf`, which lists canonical
 * names only, so a zone a browser reports under an older name still counts.
 * Offsets such as `+01:00` are refused even where Intl takes them: they are not
 * zones, and miss every change of daylight saving time.
 */
export const isTimeZone = (zone: string): boolean => {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const timeZoneProblem = 'must be an IANA time zone such as Europe/Berlin';

/** A time zone name, as given (Intl and luxon read it in any case and under any alias). */
export const TimeZone = z.string({ error: timeZoneProblem }).refine(isTimeZone, timeZoneProblem);
export type TimeZone = z.infer<typeof TimeZone>;
