import { z } from 'zod';
import { Channel } from '../domain/contact.js';

/** `opt-out`: an SMS STOP; it outlives any consent we hold, as carriers require. */
export const SuppressionReason = z.enum(['bounce', 'complaint', 'opt-out']);

export const Suppression = z.object({
  channel: Channel,
  /** Normalized address: a lower-cased email or an E.164 number. */
  address: z.string().min(1),
  reason: SuppressionReason,
  at: z.iso.datetime(),
  detail: z.string().optional(),
});
export type Suppression = z.infer<typeof Suppression>;

export interface SuppressionStore {
  isSuppressed(channel: Suppression['channel'], address: string): Promise<boolean>;
  /** Idempotent: suppressing twice keeps the first record. */
  suppress(suppression: Suppression): Promise<void>;
}
