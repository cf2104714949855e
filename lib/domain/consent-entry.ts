import { z } from 'zod';
import { Channel, Utm } from './contact.js';

export const ConsentAction = z.enum([
  'requested',
  'confirmed',
  'unsubscribed',
  'topics-changed',
  'suppressed',
]);
export type ConsentAction = z.infer<typeof ConsentAction>;

/** Where a consent change came from: enough to show who agreed, where and how. */
export const ConsentSource = z.object({
  kind: z.enum([
    'signup-form',
    'confirmation-page',
    'unsubscribe-link',
    'preference-center',
    'ses-feedback',
    'operator',
    /** A STOP texted back to our number (the two-way SMS topic). */
    'sms-reply',
    /** The carrier's / SNS's opted-out list, found at send time. */
    'carrier-opt-out',
  ]),
  form: z.string().optional(),
  page: z.string().optional(),
  referrer: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  /** The time zone the signup form sent (the person's browser), as the form gave it. */
  timeZone: z.string().optional(),
});
export type ConsentSource = z.infer<typeof ConsentSource>;

/** One line of the append-only consent log. */
export const ConsentEntry = z.object({
  id: z.string().min(1),
  contactId: z.string().min(1),
  at: z.iso.datetime(),
  channel: Channel,
  action: ConsentAction,
  topics: z.array(z.string()),
  source: ConsentSource,
  /** The version of the consent wording the person was shown. */
  wordingVersion: z.string().optional(),
  utm: Utm.optional(),
  reason: z.string().optional(),
});
export type ConsentEntry = z.infer<typeof ConsentEntry>;
