import { z } from 'zod';

/** One soft bounce of one email address. */
export const SoftBounce = z.object({
  /** SES's id of the mail that bounced: with the address, it makes a redelivered notification the same bounce. */
  mailId: z.string().min(1),
  /** When it was recorded. */
  at: z.iso.datetime(),
});
export type SoftBounce = z.infer<typeof SoftBounce>;

/**
 * The soft bounces of each email address, kept only by a hash of the normalized
 * address, and only for as long as they can count (`expiresAt`).
 */
export interface SoftBounceLog {
  /**
   * Idempotent per address and mail: the same mail bouncing again is on record
   * already, with its first time. True when this bounce was new.
   */
  record(address: string, bounce: SoftBounce, expiresAt: number): Promise<boolean>;
  /** The address's soft bounces recorded at or after `sinceIso`, oldest first. */
  since(address: string, sinceIso: string): Promise<SoftBounce[]>;
}
