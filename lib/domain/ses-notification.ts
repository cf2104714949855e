import { z } from 'zod';
import { isRecord } from './is-record.js';

/**
 * An SES sending event as it arrives in an SNS message: either event publishing
 * from a configuration set (`eventType`) or the older identity feedback
 * notification (`notificationType`, never carries tags). Only what Rapport acts
 * on is kept; everything else SES sends is dropped on parse.
 */

/** The message tags the mailer sets on every email, so feedback can be traced back. */
export const SesTag = {
  contact: 'rapport-contact',
  message: 'rapport-message',
  journey: 'rapport-journey',
  /** A campaign's mail: its id and the variant the recipient got, so feedback counts per campaign and variant. */
  campaign: 'rapport-campaign',
  variant: 'rapport-variant',
} as const;

export const SesEventType = z.enum([
  'Bounce',
  'Complaint',
  'Delivery',
  'Send',
  'Reject',
  'Open',
  'Click',
  'RenderingFailure',
  'DeliveryDelay',
  'Subscription',
]);
export type SesEventType = z.infer<typeof SesEventType>;

export const SesMail = z.object({
  messageId: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  destination: z.array(z.string()),
  /** Tag name → values; SES adds its own `ses:*` tags next to ours. */
  tags: z.record(z.string(), z.array(z.string())).optional(),
});
export type SesMail = z.infer<typeof SesMail>;

export const SesBounceType = z.enum(['Permanent', 'Transient', 'Undetermined']);
export type SesBounceType = z.infer<typeof SesBounceType>;

export const SesBounce = z.object({
  bounceType: SesBounceType,
  bounceSubType: z.string().min(1),
  bouncedRecipients: z.array(
    z.object({
      emailAddress: z.string().min(1),
      diagnosticCode: z.string().optional(),
    }),
  ),
});
export type SesBounce = z.infer<typeof SesBounce>;

export const SesComplaint = z.object({
  complainedRecipients: z.array(z.object({ emailAddress: z.string().min(1) })),
  complaintFeedbackType: z.string().optional(),
});
export type SesComplaint = z.infer<typeof SesComplaint>;

const otherEventTypes = SesEventType.exclude(['Bounce', 'Complaint', 'Click', 'Open']);

/** SES spells one event type with a space on the wire; every other name is already ours. */
const wireEventTypeAliases: Readonly<Record<string, SesEventType>> = {
  'Rendering Failure': 'RenderingFailure',
};

const normalizeEnvelope = (value: unknown): unknown => {
  if (!isRecord(value)) return value;
  const { notificationType, eventType, ...rest } = value;
  const type = eventType ?? notificationType;
  return { ...rest, eventType: typeof type === 'string' ? (wireEventTypeAliases[type] ?? type) : type };
};

export const SesNotification = z.preprocess(
  normalizeEnvelope,
  z.discriminatedUnion('eventType', [
    z.object({ eventType: z.literal('Bounce'), mail: SesMail, bounce: SesBounce }),
    z.object({ eventType: z.literal('Complaint'), mail: SesMail, complaint: SesComplaint }),
    /** When the link was clicked: purchases are credited by it, not by when the event reached us. */
    z.object({
      eventType: z.literal('Click'),
      mail: SesMail,
      click: z.looseObject({ timestamp: z.iso.datetime() }),
    }),
    /** When the mail was opened: engagement is dated by it. Without it the open still counts, dated by the send. */
    z.object({
      eventType: z.literal('Open'),
      mail: SesMail,
      open: z.looseObject({ timestamp: z.iso.datetime() }).optional().catch(undefined),
    }),
    z.object({ eventType: otherEventTypes, mail: SesMail }),
  ]),
);
export type SesNotification = z.infer<typeof SesNotification>;

export class InvalidSesNotificationError extends Error {
  override readonly name = 'InvalidSesNotificationError';
}

/** Parses the `Sns.Message` text of one SES feedback record. */
export const parseSesNotification = (text: string): SesNotification => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidSesNotificationError('the SES notification is not JSON', { cause: error });
  }
  const parsed = SesNotification.safeParse(json);
  if (!parsed.success) {
    throw new InvalidSesNotificationError(`not an SES notification: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};

/** The first value of a message tag; SES gives every tag as a list. */
export const sesTagValue = (mail: SesMail, name: string): string | undefined => {
  const value = mail.tags?.[name]?.[0];
  return value === undefined || value === '' ? undefined : value;
};
