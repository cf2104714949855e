import { z } from 'zod';
import { CustomerCard } from './customer-card.js';

export const Channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof Channel>;

/** none → pending (signed up) → subscribed (confirmed) → unsubscribed; see consent.ts for the transitions. */
export const ConsentStatus = z.enum(['none', 'pending', 'subscribed', 'unsubscribed']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;

export const ChannelConsent = z.object({
  status: ConsentStatus,
  changedAt: z.iso.datetime(),
});
export type ChannelConsent = z.infer<typeof ChannelConsent>;

export const Utm = z.object({
  source: z.string().optional(),
  medium: z.string().optional(),
  campaign: z.string().optional(),
});
export type Utm = z.infer<typeof Utm>;

export const Acquisition = z.object({
  form: z.string().optional(),
  page: z.string().optional(),
  utm: Utm.optional(),
  at: z.iso.datetime(),
});
export type Acquisition = z.infer<typeof Acquisition>;

export const Contact = z.object({
  id: z.string().min(1),
  email: z.string(),
  name: z.string().optional(),
  phone: z.string().optional(),
  timeZone: z.string().optional(),
  consent: z.object({ email: ChannelConsent, sms: ChannelConsent }),
  /** Topics the contact confirmed. */
  topics: z.array(z.string()),
  /** Topics asked for at signup, granted on confirmation. */
  pendingTopics: z.array(z.string()),
  acquisition: Acquisition,
  /** Custom attributes (a birthday, a tier) that journeys read in conditions and write with update_contact. */
  attributes: z.record(z.string(), z.unknown()).default({}),
  /** The shop's own id for the person (Segment's userId), when the shop sent one. */
  externalId: z.string().optional(),
  /** Buying history and value (orders, RFM, tier, CLV, owned products); absent until the first order. */
  customer: CustomerCard.optional(),
  /** When the last confirmation email was queued; resends are rate-limited from it. */
  confirmationRequestedAt: z.iso.datetime().optional(),
  /**
   * Confirmation emails the signup form has queued since the address last confirmed. At
   * `signupConfirmationLimits.maxUnanswered` (lib/domain/confirmation-limits.ts) the form queues no more until an admin allows
   * it again (`POST /admin/contacts/{id}/confirmations`).
   */
  unansweredConfirmations: z.number().int().min(0).optional(),
  /**
   * The last sign that someone reads the mail: an open (unless opens are not
   * counted), a click, an order, the signup, its confirmation or a preference-centre
   * save. Never moves back. Absent on profiles kept before it was recorded; the
   * sunset then counts from the consent (lib/domain/engagement.ts).
   */
  lastEngagedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Optimistic-concurrency counter: every write expects the version it read. */
  version: z.number().int().min(1),
});
export type Contact = z.infer<typeof Contact>;

/**
 * What erasure and export need of a stored profile: who it is, the addresses
 * and ids that lead to it, and the version to guard the deletion with. Read on
 * its own, so a profile damaged elsewhere (an older bug's card) can still be
 * exported and erased.
 */
export const ProfileIdentities = z.object({
  id: z.string().min(1),
  email: z.string().catch(''),
  phone: z.string().optional().catch(undefined),
  externalId: z.string().optional().catch(undefined),
  version: z.number().int().min(1),
});
export type ProfileIdentities = z.infer<typeof ProfileIdentities>;

/** Lower-cased and trimmed: the form in which addresses are unique and suppressed. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
