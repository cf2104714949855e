import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import type { Contact } from './contact.js';
import { durationOf, durationRangeProblem } from './durations.js';

/**
 * How often one contact's engagement is written at most. A newsletter's opens and
 * clicks come in bursts (one reader opens it on the phone, then on the laptop,
 * then clicks twice), and each would otherwise rewrite the profile; an hour is
 * far finer than anything that reads the date (segments and the sunset count days).
 */
export const engagementRecordingGapMs = 60 * 60_000;

/** The default of `rapport:sunsetAfter` (SUNSET_AFTER). */
export const defaultSunsetAfter = 'P365D';

/** A shorter sunset would stop mail to readers who simply skip a few issues. */
const shortestSunset = 'P30D';
const shortestSunsetMs = Duration.fromISO(shortestSunset).as('milliseconds');

const sunsetProblem = `must be an ISO 8601 duration of at least ${shortestSunset} (such as ${defaultSunsetAfter} or P18M), or "off"`;

/**
 * How long after the last engagement marketing email stops (`rapport:sunsetAfter`,
 * SUNSET_AFTER): an ISO 8601 duration from P30D to P20Y, or `off`. `P0D` is refused
 * rather than read as off, so a typo cannot silently stop the rule or stop all mail.
 */
export const SunsetAfter = z
  .string({ error: sunsetProblem })
  .trim()
  .transform((value, ctx) => {
    if (value.toLowerCase() === 'off') return 'off' as const;
    const parsed = Duration.fromISO(value);
    if (!/^P/.test(value) || !parsed.isValid) {
      ctx.addIssue({ code: 'custom', message: `"${value}" ${sunsetProblem}` });
      return z.NEVER;
    }
    const range = durationRangeProblem(value, { signed: false });
    if (range !== undefined || parsed.as('milliseconds') < shortestSunsetMs) {
      ctx.addIssue({ code: 'custom', message: `"${value}" ${sunsetProblem}` });
      return z.NEVER;
    }
    return value;
  });
export type SunsetAfter = z.infer<typeof SunsetAfter>;

/** `ENGAGEMENT_COUNTS_OPENS` / `rapport:engagementCountsOpens`: `true` (the default) or `false`. */
export const EngagementCountsOpens = z
  .union([z.boolean(), z.string()], { error: 'must be true or false' })
  .transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    ctx.addIssue({ code: 'custom', message: `"${value}" must be true or false` });
    return z.NEVER;
  });

/**
 * The moment an engagement is recorded at: the event's own time (an open read
 * hours after delivery, an order replayed from a backlog), never ahead of now, so
 * a sender's clock running fast cannot hold the date in the future.
 */
export const engagementInstant = (at: string | Date, now: Date): string => {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(Number.isFinite(ms) ? Math.min(ms, now.getTime()) : now.getTime()).toISOString();
};

/** The later of the two: engagements arrive out of order, and the date never moves back. */
export const laterEngagement = (stored: string | undefined, at: string): string =>
  stored !== undefined && Date.parse(stored) >= Date.parse(at) ? stored : at;

/** The contact with an engagement at `at` taken into account (unchanged when it already has a later one). */
export const withEngagement = <T extends Pick<Contact, 'lastEngagedAt'>>(contact: T, at: string): T => ({
  ...contact,
  lastEngagedAt: laterEngagement(contact.lastEngagedAt, at),
});

/**
 * Whether an engagement needs a write of its own: not when the stored date is
 * already within the hour before it, or later (see engagementRecordingGapMs).
 */
export const engagementNeedsWrite = (stored: string | undefined, at: string): boolean =>
  stored === undefined || Date.parse(stored) < Date.parse(at) - engagementRecordingGapMs;

/**
 * Where the sunset clock starts: the last engagement; for a profile kept before
 * engagement was recorded, the email consent's last change if subscribed (the
 * confirmation), else when the profile was made.
 */
export const sunsetClockStart = (contact: Pick<Contact, 'lastEngagedAt' | 'consent' | 'createdAt'>): string =>
  contact.lastEngagedAt ??
  (contact.consent.email.status === 'subscribed' ? contact.consent.email.changedAt : contact.createdAt);

/** When marketing email stops for this contact unless they engage first; undefined when the sunset is off. */
export const sunsetAt = (
  contact: Pick<Contact, 'lastEngagedAt' | 'consent' | 'createdAt'>,
  after: SunsetAfter,
): Date | undefined => {
  if (after === 'off') return undefined;
  // Calendar arithmetic in UTC, as segments' relative dates: P12M is twelve calendar months.
  return DateTime.fromISO(sunsetClockStart(contact), { zone: 'utc' }).plus(durationOf(after)).toJSDate();
};

/** Whether marketing email skips the contact at `now` (`not-engaged`). Transactional mail and SMS never ask. */
export const isSunset = (
  contact: Pick<Contact, 'lastEngagedAt' | 'consent' | 'createdAt'>,
  after: SunsetAfter,
  now: Date,
): boolean => {
  const at = sunsetAt(contact, after);
  return at !== undefined && now.getTime() >= at.getTime();
};
