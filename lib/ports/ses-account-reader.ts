import type { SesReading } from '../domain/ses-account.js';

/**
 * Reads the SES account (`GetAccount`) and one identity (`GetEmailIdentity`) in the
 * region it is set up for. It does not throw: no credentials, no network or a refusal
 * come back as an `unreadable` reading, so the check can say so and go on with DNS.
 */
export interface SesAccountReader {
  read(identity: string): Promise<SesReading>;
}
