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

/**
 * The longest wait, offset, cooldown or window that may be published. Longer
 * ones are not marketing (nobody plans a mail for 2046), and a billion years
 * would put a timer past the year 9999, which no date can name.
 */
export const longestDuration = 'P20Y';
const longestMs = Duration.fromISO(longestDuration).as('milliseconds');

/**
 * Why a well-formed duration may not be published, or undefined. Luxon counts
 * months and years as 30 and 365 days here: the bound is a sanity check, not a
 * calendar. A wait of nothing is refused too: a loop through it never lets time pass.
 */
export const durationRangeProblem = (value: string, options: { signed: boolean }): string | undefined => {
  const magnitude = Math.abs(parse(value).as('milliseconds'));
  if (!Number.isFinite(magnitude) || magnitude > longestMs) {
    return `must be at most ${longestDuration}${options.signed ? ' either way' : ''}`;
  }
  if (!options.signed && magnitude === 0) return 'must be longer than zero';
  return undefined;
};

/** IsoDuration within the publishable range, for settings that are checked and read by one schema. */
export const BoundedIsoDuration = IsoDuration.superRefine((value, ctx) => {
  // A malformed duration is named once, by IsoDuration; it has no range to check.
  if (!parse(value).isValid) return;
  const problem = durationRangeProblem(value, { signed: false });
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** Parsed durations kept: a journey's few durations are parsed for every wait it files. */
const parsedDurations = new Map<string, Duration>();
const parsedDurationsAtMost = 1_000;

/** Milliseconds are not well defined for months and years; luxon adds them calendar-wise instead. */
export const durationOf = (value: string): Duration => {
  const known = parsedDurations.get(value);
  if (known !== undefined) return known;
  const parsed = parse(value);
  // luxon's Duration is immutable, so one parsed value serves every caller.
  const duration = value.startsWith('-') ? parsed.negate() : parsed;
  if (parsedDurations.size >= parsedDurationsAtMost) parsedDurations.clear();
  parsedDurations.set(value, duration);
  return duration;
};
