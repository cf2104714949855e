import { z } from 'zod';
import { EventSnapshot, TriggerSnapshot } from './enrollment.js';

/** Marketing mail needs consent at send time; transactional mail (the confirmation) needs only a deliverable address. */
export const MessageKind = z.enum(['marketing', 'transactional']);
export type MessageKind = z.infer<typeof MessageKind>;

/**
 * `deferred`: the delivery policy held the message back (a frequency cap or quiet hours);
 * a copy keyed `<key>~d<n>` is queued by the timer wheel at `deferredUntil`, and this one is done.
 */
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'skipped', 'failed', 'deferred']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const SkipReason = z.enum([
  'suppressed',
  /** Email: the address soft-bounced too often of late, and is suppressed for a while. */
  'soft-bounced',
  'not-subscribed',
  'topic-not-subscribed',
  /** Marketing email: nothing engaged for `rapport:sunsetAfter` (the sunset policy, lib/domain/engagement.ts). */
  'not-engaged',
  'contact-missing',
  /** SMS: the contact has no phone number. */
  'no-phone',
  /** SMS: the number is on the carrier's / SNS's opted-out list. */
  'opted-out',
  /** The delivery policy's frequency cap, when capped messages are skipped. */
  'capped',
  /** The journey that queued it was archived before it went out. */
  'journey-archived',
  /** The template shows recommendations only when there are some (new in the contact's categories), and there were none. */
  'nothing-to-recommend',
  /** The campaign that queued it was cancelled before it went out. */
  'campaign-cancelled',
]);
export type SkipReason = z.infer<typeof SkipReason>;

/**
 * Why a message was held back: the delivery policy (a cap, quiet hours), its
 * campaign being paused (re-checked at its own pace until resumed or cancelled),
 * SES having paused the account's email, Rapport having paused marketing email,
 * or the account's monthly SMS spend limit being reached (re-checked every 15
 * minutes until they let it go).
 */
export const DeferReason = z.enum([
  'capped',
  'quiet-hours',
  'campaign-paused',
  'sending-paused',
  /** Rapport paused marketing email: a bounce or complaint rate past its critical threshold, or an operator. */
  'marketing-paused',
  'sms-spend-limit',
]);
export type DeferReason = z.infer<typeof DeferReason>;

/**
 * Why a journey message is sent, for its template: `trigger` is the event that
 * started the enrollment (with the `for_each` element it is about), `event` the
 * one that moved the enrollment to this send (the same at entry; the awaited
 * event or the timer after a wait). Copied when the message is queued, so a
 * deferred copy renders alike.
 */
export const MessageContext = z.object({
  trigger: TriggerSnapshot.optional(),
  event: EventSnapshot.optional(),
});
export type MessageContext = z.infer<typeof MessageContext>;

/** The outbox item. Its key is derived from business identity so a replayed trigger cannot queue it twice. */
export const Message = z.object({
  contactId: z.string().min(1),
  /** The idempotency key, e.g. `<enrollmentId>#<nodeId>#<visit>` or `confirm#<consentEntryId>`. */
  key: z.string().min(1),
  channel: z.enum(['email', 'sms']),
  kind: MessageKind,
  /** Email: the template to render. SMS: the journey node's id, for reporting. */
  templateId: z.string().min(1),
  /** SMS only: the Liquid body, copied from the journey version that queued it. */
  smsBody: z.string().optional(),
  topic: z.string().optional(),
  journeyId: z.string().optional(),
  enrollmentId: z.string().optional(),
  nodeId: z.string().optional(),
  /** Campaign messages: the campaign, and the A/B variant the recipient was assigned. */
  campaignId: z.string().optional(),
  variant: z.string().optional(),
  /** Journey messages: what the template sees as `trigger` and `event`. */
  context: MessageContext.optional(),
  status: MessageStatus,
  createdAt: z.iso.datetime(),
  /** While `sending`, no other delivery may claim the message before this instant. */
  claimExpiresAt: z.iso.datetime().optional(),
  attempts: z.number().int().min(0),
  sentAt: z.iso.datetime().optional(),
  providerMessageId: z.string().optional(),
  skipReason: SkipReason.optional(),
  /** When `deferred`: when its re-queued copy falls due. */
  deferredUntil: z.iso.datetime().optional(),
  /** When `deferred`: what held it back. */
  deferReason: DeferReason.optional(),
  error: z.string().optional(),
});
export type Message = z.infer<typeof Message>;
