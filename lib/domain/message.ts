import { z } from 'zod';

/** Marketing mail needs consent at send time; transactional mail (the confirmation) needs only a deliverable address. */
export const MessageKind = z.enum(['marketing', 'transactional']);
export type MessageKind = z.infer<typeof MessageKind>;

export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'skipped', 'failed']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const SkipReason = z.enum(['suppressed', 'not-subscribed', 'topic-not-subscribed', 'contact-missing']);
export type SkipReason = z.infer<typeof SkipReason>;

/** The outbox item. Its key is derived from business identity so a replayed trigger cannot queue it twice. */
export const Message = z.object({
  contactId: z.string().min(1),
  /** The idempotency key, e.g. `<enrollmentId>#<nodeId>#<visit>` or `confirm#<consentEntryId>`. */
  key: z.string().min(1),
  channel: z.literal('email'),
  kind: MessageKind,
  templateId: z.string().min(1),
  topic: z.string().optional(),
  journeyId: z.string().optional(),
  enrollmentId: z.string().optional(),
  nodeId: z.string().optional(),
  status: MessageStatus,
  createdAt: z.iso.datetime(),
  /** While `sending`, no other delivery may claim the message before this instant. */
  claimExpiresAt: z.iso.datetime().optional(),
  attempts: z.number().int().min(0),
  sentAt: z.iso.datetime().optional(),
  providerMessageId: z.string().optional(),
  skipReason: SkipReason.optional(),
  error: z.string().optional(),
});
export type Message = z.infer<typeof Message>;
