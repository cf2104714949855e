import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Channel } from './contact.js';
import { BoundedIsoDuration, durationOf } from './durations.js';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 21:00');

export const FrequencyCap = z.strictObject({
  max: z.number().int().min(1),
  /** The sliding window, e.g. P7D; months and years are counted on the contact's calendar. */
  per: BoundedIsoDuration,
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** In the contact's time zone; may wrap midnight (21:00–08:00). */
export const QuietHours = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((hours) => hours.start !== hours.end, { message: 'start and end must differ' });
export type QuietHours = z.infer<typeof QuietHours>;

export const ChannelPolicy = z.strictObject({
  /** Global per contact, across journeys: every cap must hold. */
  caps: z.array(FrequencyCap).default([]),
  quiet_hours: QuietHours.optional(),
  /**
   * What happens to a message a cap holds back. Quiet hours always defer: a
   * message that may go out in the morning is not worth dropping.
   */
  when_capped: z.enum(['skip', 'defer']).default('defer'),
});
export type ChannelPolicy = z.infer<typeof ChannelPolicy>;

/** Applies to marketing messages only; transactional mail is never capped or held. */
export const DeliveryPolicy = z.strictObject({
  email: ChannelPolicy.optional(),
  sms: ChannelPolicy.optional(),
});
export type DeliveryPolicy = z.infer<typeof DeliveryPolicy>;

export type DeliveryVerdict =
  | { verdict: 'send' }
  | { verdict: 'skip'; reason: 'capped' }
  | { verdict: 'defer'; until: Date; reason: 'capped' | 'quiet-hours' };

export interface DeliveryContext {
  /** This contact's earlier marketing sends on the channel, from every journey. */
  sentAt: readonly Date[];
  now: Date;
  /** The contact's time zone, or the default for contacts without one. */
  timeZone: string;
}

export class InvalidDeliveryPolicyError extends Error {
  override readonly name = 'InvalidDeliveryPolicyError';
}

const zoned = (moment: Date, timeZone: string): DateTime => {
  const local = DateTime.fromJSDate(moment, { zone: timeZone });
  return local.isValid ? local : DateTime.fromJSDate(moment, { zone: 'UTC' });
};

const minutesOf = (time: string): number => {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
};

/** When the quiet hours around `moment` end, or undefined if `moment` is outside them. */
export const quietHoursEnd = (hours: QuietHours, moment: Date, timeZone: string): Date | undefined => {
  const local = zoned(moment, timeZone);
  const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const wraps = start > end;
  const quiet = wraps ? minute >= start || minute < end : minute >= start && minute < end;
  if (!quiet) return undefined;
  // Setting the wall-clock time (not adding hours) keeps 08:00 at 08:00 on a night with a DST change.
  const day = wraps && minute >= start ? local.plus({ days: 1 }) : local;
  return day.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 }).toJSDate();
};

/**
 * The moment this cap lets one more message out: when enough of the sends in
 * its window have left it. Undefined if it is not reached.
 */
const capReleasedAt = (cap: FrequencyCap, context: DeliveryContext): Date | undefined => {
  const { now, timeZone } = context;
  const window = durationOf(cap.per);
  // A day of slack covers DST shifts; only the sends that may be in the window get calendar arithmetic.
  const earliest = zoned(now, timeZone).minus(window).minus({ days: 1 }).toMillis();
  const expiries = context.sentAt
    .filter((sent) => sent.getTime() <= now.getTime() && sent.getTime() > earliest)
    .map((sent) => zoned(sent, timeZone).plus(window).toJSDate())
    .filter((expiry) => expiry.getTime() > now.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  if (expiries.length < cap.max) return undefined;
  return expiries[expiries.length - cap.max];
};

/**
 * Whether a marketing message may go out now on this channel, under the
 * contact's caps and quiet hours. Caps come first: a capped message is skipped
 * or deferred to when the oldest send in the window leaves it, and that moment
 * is then checked against quiet hours. Quiet hours alone always defer, to their end.
 */
export const checkDelivery = (
  policy: DeliveryPolicy,
  channel: Channel,
  context: DeliveryContext,
): DeliveryVerdict => {
  const rules = policy[channel];
  if (rules === undefined) return { verdict: 'send' };
  const releases = rules.caps
    .map((cap) => capReleasedAt(cap, context))
    .filter((release) => release !== undefined);
  if (releases.length > 0) {
    if (rules.when_capped === 'skip') return { verdict: 'skip', reason: 'capped' };
    // Sends only leave windows as time passes, so after the latest release every cap holds.
    const released = new Date(Math.max(...releases.map((release) => release.getTime())));
    const afterQuiet =
      rules.quiet_hours === undefined
        ? undefined
        : quietHoursEnd(rules.quiet_hours, released, context.timeZone);
    return { verdict: 'defer', until: afterQuiet ?? released, reason: 'capped' };
  }
  if (rules.quiet_hours !== undefined) {
    const end = quietHoursEnd(rules.quiet_hours, context.now, context.timeZone);
    if (end !== undefined) return { verdict: 'defer', until: end, reason: 'quiet-hours' };
  }
  return { verdict: 'send' };
};

/** Reads `delivery-policy.yaml`; a problem names its path, e.g. `email.caps.0.per: must be …`. */
export const loadDeliveryPolicy = (text: string): DeliveryPolicy => {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new InvalidDeliveryPolicyError(
      `delivery policy is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = DeliveryPolicy.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new InvalidDeliveryPolicyError(`invalid delivery policy: ${problems.join('; ')}`);
  }
  return result.data;
};
