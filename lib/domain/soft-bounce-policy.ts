import { countMarkDays } from './counter-increment.js';

/**
 * A soft bounce (a full mailbox, a server turning mail away for now) is no proof
 * that an address is dead, so one alone changes nothing. An address that keeps
 * soft-bouncing hurts the sender's reputation all the same, so it is rested:
 * suppressed for a while, then tried again with its count started over.
 */
export const softBouncePolicy = {
  /** How many soft bounces suppress an address. */
  bounces: 3,
  /** They count only while less than this many days old. */
  windowDays: 30,
  /** How long they suppress the address for. */
  suppressDays: 30,
} as const;

const dayMs = 86_400_000;

/** The moment before which a soft bounce no longer counts at `now`. */
export const softBounceWindowStart = (now: Date): string =>
  new Date(now.getTime() - softBouncePolicy.windowDays * dayMs).toISOString();

/**
 * When a soft bounce recorded at `now` may be cleaned up (epoch seconds): once it
 * no longer counts, and not before SNS has stopped redelivering its notification,
 * so that a late redelivery finds it on record and does not count it again.
 */
export const softBounceExpiresAt = (now: Date): number =>
  Math.ceil(now.getTime() / 1000) + Math.max(softBouncePolicy.windowDays, countMarkDays) * 86_400;

export type SoftBounceVerdict =
  | { suppress: false; counted: number }
  /** `until`: when the suppression lapses and the address is tried again. */
  | { suppress: true; counted: number; until: string };

/**
 * Whether an address's soft bounces suppress it at `now`. `bounces` are the
 * times they were recorded. Those `windowDays` old or older do not count, nor
 * those before `countFrom`: the end of an earlier suppression, after which the
 * count starts over.
 */
export const softBounceVerdict = (
  bounces: readonly string[],
  now: Date,
  countFrom?: string,
): SoftBounceVerdict => {
  const windowStart = Date.parse(softBounceWindowStart(now));
  const from = countFrom === undefined ? windowStart : Math.max(windowStart, Date.parse(countFrom));
  const counted = bounces.filter((at) => {
    const time = Date.parse(at);
    return time > windowStart && time >= from;
  }).length;
  if (counted < softBouncePolicy.bounces) return { suppress: false, counted };
  return {
    suppress: true,
    counted,
    until: new Date(now.getTime() + softBouncePolicy.suppressDays * dayMs).toISOString(),
  };
};

/** What the contact's consent log says of the suppression. */
export const softBounceNote = (until: string): string =>
  `suppressed until ${until.slice(0, 'YYYY-MM-DD'.length)} after ${softBouncePolicy.bounces} soft bounces in ${softBouncePolicy.windowDays} days`;
