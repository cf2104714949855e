export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Array<{ name: string; value: string }>;
  /** Travel with SES feedback events so they can be tied back to the message. */
  tags: Record<string, string>;
}

/**
 * Throws MailerThrottledError when the provider asks to slow down (retryable) and
 * MailerRejectedError when it refuses the message for good.
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
}
