import type { Channel } from '../../lib/domain/contact.js';
import type { ChannelPolicy, DeliveryPolicy } from '../../lib/domain/delivery-policy.js';

export const channels: readonly Channel[] = ['email', 'sms'];

/** One channel's rules as the form holds them: text as typed, blank for absent. */
export interface ChannelForm {
  caps: Array<{ max: string; per: string }>;
  quietStart: string;
  quietEnd: string;
  whenCapped: ChannelPolicy['when_capped'];
}

export type PolicyForm = Record<Channel, ChannelForm>;

const channelForm = (rules: ChannelPolicy | undefined): ChannelForm => ({
  caps: (rules?.caps ?? []).map((cap) => ({ max: String(cap.max), per: cap.per })),
  quietStart: rules?.quiet_hours?.start ?? '',
  quietEnd: rules?.quiet_hours?.end ?? '',
  whenCapped: rules?.when_capped ?? 'defer',
});

export const policyForm = (policy: DeliveryPolicy): PolicyForm => ({
  email: channelForm(policy.email),
  sms: channelForm(policy.sms),
});

/** A whole number as typed, or the text itself when it is none, so the API names the field and the problem. */
const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

/**
 * The policy the form says, as `PUT /admin/delivery-policy` takes it. A channel
 * with no caps and no quiet hours is left out (nothing held back); quiet hours
 * with one end blank are sent as they are, for the API to name the blank one.
 */
export const policyOfForm = (form: PolicyForm): Record<string, unknown> =>
  Object.fromEntries(
    channels.flatMap((channel) => {
      const { caps, quietStart, quietEnd, whenCapped } = form[channel];
      const quiet = quietStart.trim() !== '' || quietEnd.trim() !== '';
      if (caps.length === 0 && !quiet) return [];
      return [
        [
          channel,
          {
            caps: caps.map((cap) => ({ max: numberOrText(cap.max), per: cap.per.trim().toUpperCase() })),
            ...(quiet ? { quiet_hours: { start: quietStart.trim(), end: quietEnd.trim() } } : {}),
            when_capped: whenCapped,
          },
        ],
      ];
    }),
  );
