import type { Clock } from '../../ports/clock.js';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';

export interface SentEmail {
  email: OutgoingEmail;
  providerMessageId: string;
  /** When the mailer took it, by the world's clock. */
  at: string;
}

/**
 * A mailer that sends nothing and keeps every email it was given, as SES would
 * have accepted it. `failNext` makes the next calls throw (a MailerThrottledError,
 * a MailerRejectedError) as SES's refusals do.
 */
export class RecordingMailer implements Mailer {
  private readonly sentEmails: SentEmail[] = [];
  private readonly failures: Error[] = [];

  constructor(private readonly clock: Clock) {}

  async send(email: OutgoingEmail): Promise<{ providerMessageId: string }> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const providerMessageId = `mail-${String(this.sentEmails.length + 1).padStart(6, '0')}`;
    this.sentEmails.push({
      email: structuredClone(email),
      providerMessageId,
      at: this.clock.now().toISOString(),
    });
    return { providerMessageId };
  }

  /** Every email sent so far, oldest first (copies). */
  sent(): SentEmail[] {
    return structuredClone(this.sentEmails);
  }

  /** The emails sent to an address. */
  sentTo(address: string): SentEmail[] {
    return this.sent().filter((sent) => sent.email.to === address);
  }

  /** The next `times` sends throw `error` instead of sending. */
  failNext(error: Error, times = 1): void {
    for (let time = 0; time < times; time += 1) this.failures.push(error);
  }
}
