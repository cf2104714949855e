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

/**
 * Why an address is suppressed, as the export shows it. `erasure`: the address
 * belonged to an erased contact and is kept only as its hash.
 */
export const SuppressionRecord = z.object({
  reason: z.union([SuppressionReason, z.literal('erasure')]),
  at: z.iso.datetime(),
  detail: z.string().optional(),
});
export type SuppressionRecord = z.infer<typeof SuppressionRecord>;

export interface SuppressionStore {
  /** True for an address suppressed in the clear or, after an erasure, by its hash. */
  isSuppressed(channel: Suppression['channel'], address: string): Promise<boolean>;
  /**
   * Idempotent: suppressing twice keeps the first record. An address suppressed by
   * an erasure is suppressed already, and is not written down in the clear again.
   */
  suppress(suppression: Suppression): Promise<void>;
  /** The suppression on record for an address, in the clear or hashed; undefined when none. */
  find(channel: Suppression['channel'], address: string): Promise<SuppressionRecord | undefined>;
  /**
   * Erasure: suppresses the address by its hash (keeping an earlier hashed record)
   * and then removes the record in the clear. True when there was one to remove.
   */
  suppressForErasure(channel: Suppression['channel'], address: string, at: Date): Promise<boolean>;
}
