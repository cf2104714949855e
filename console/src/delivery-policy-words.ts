import type { Channel } from '../../lib/domain/contact.js';
import type { ChannelPolicy, FrequencyCap, QuietHours } from '../../lib/domain/delivery-policy.js';
import { durationOf } from '../../lib/domain/durations.js';

/** What each channel's messages are called, one and many. */
const nouns: Record<Channel, [string, string]> = {
  email: ['email', 'emails'],
  sms: ['text message', 'text messages'],
};

export const channelName: Record<Channel, string> = { email: 'Email', sms: 'Text messages (SMS)' };

const units = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

const plural = (count: number, one: string, many: string): string =>
  `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** An ISO 8601 duration as people say it: P7D → "7 days", P1D → "day", P1DT12H → "1 day and 12 hours". */
export const durationInWords = (iso: string): string => {
  const parts = durationOf(iso).toObject();
  const named = units.flatMap((unit) => {
    const count = parts[unit] ?? 0;
    return count === 0 ? [] : [{ count, one: unit.slice(0, -1), many: unit }];
  });
  const [only] = named;
  if (named.length === 1 && only !== undefined && only.count === 1) return only.one;
  if (named.length === 0) return iso;
  const spoken = named.map(({ count, one, many }) => plural(count, one, many));
  return spoken.length === 1 ? (spoken[0] ?? iso) : `${spoken.slice(0, -1).join(', ')} and ${spoken.at(-1)}`;
};

/** "at most 3 emails per 7 days" */
export const capInWords = (cap: FrequencyCap, channel: Channel): string => {
  const [one, many] = nouns[channel];
  return `At most ${plural(cap.max, one, many)} per ${durationInWords(cap.per)}.`;
};

export const quietHoursInWords = (hours: QuietHours): string =>
  `Quiet hours ${hours.start}–${hours.end} in the contact’s time zone: a message due then waits until ${hours.end}.`;

/** Every rule of one channel, a sentence each; a channel without rules says so. */
export const channelPolicyInWords = (channel: Channel, rules: ChannelPolicy | undefined): string[] => {
  const [, many] = nouns[channel];
  const caps = rules?.caps ?? [];
  const quiet = rules?.quiet_hours;
  if (caps.length === 0 && quiet === undefined)
    return [`No caps and no quiet hours: marketing ${many} go out as soon as they are due.`];
  const sentences = caps.map((cap) => capInWords(cap, channel));
  if (quiet !== undefined) sentences.push(quietHoursInWords(quiet));
  if (caps.length > 0)
    sentences.push(
      rules?.when_capped === 'skip'
        ? 'A message over a cap is dropped.'
        : `A message over a cap waits until the cap allows it${quiet === undefined ? '' : ' and the quiet hours are over'}, then goes out.`,
    );
  return sentences;
};
