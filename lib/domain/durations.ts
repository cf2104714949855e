import { Duration } from 'luxon';
import { z } from 'zod';

const parse = (value: string) => Duration.fromISO(value.startsWith('-') ? value.slice(1) : value);

/** An ISO 8601 duration such as `PT15M`, `P3D` or `P4Y`; waits can be as short as a minute or years long. */
export const IsoDuration = z.string().refine((value) => !value.startsWith('-') && parse(value).isValid, {
  message: 'must be an ISO 8601 duration such as PT15M, P3D or P1Y',
});

/** An ISO 8601 duration that may be negative (`-P30D`), for offsets before a date. */
export const SignedIsoDuration = z.string().refine((value) => parse(value).isValid, {
  message: 'must be an ISO 8601 duration such as P3D or -P30D',
});

/** Milliseconds are not well defined for months and years; luxon adds them calendar-wise instead. */
export const durationOf = (value: string): Duration => {
  const duration = parse(value);
  return value.startsWith('-') ? duration.negate() : duration;
};
