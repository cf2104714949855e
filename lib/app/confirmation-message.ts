import type { Message } from '../domain/message.js';

/**
 * The double opt-in email: transactional (it asks for consent, so it cannot need
 * it), keyed by the consent-log entry that asked, so the request is mailed once.
 */
export const confirmationMessage = (contactId: string, consentEntryId: string, now: Date): Message => ({
  contactId,
  key: `confirm#${consentEntryId}`,
  channel: 'email',
  kind: 'transactional',
  templateId: 'confirm',
  status: 'queued',
  createdAt: now.toISOString(),
  attempts: 0,
});

/**
 * The preferences page's double opt-in: reached only through the person's own signed
 * link, so its wait between confirmation emails is short.
 */
export const confirmationResendAfterMs = 10 * 60_000;
