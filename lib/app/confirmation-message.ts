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

/** A person who asked once gets the next confirmation only after this long, so a form cannot flood an inbox. */
export const confirmationResendAfterMs = 10 * 60_000;
