import { z } from 'zod';
import { Channel } from '../domain/contact.js';

/**
 * `opt-out`: an SMS STOP; it outlives any consent we hold, as carriers require.
 * `soft-bounce`: too many soft bounces in a while; it lapses at its `until`.
 */
export const SuppressionReason = z.enum(['bounce', 'complaint', 'opt-out', 'soft-bounce']);

export const Suppression = z.object({
  channel: Channel,
  /** Normalized address: a lower-cased email or an E.164 number. */
  address: z.string().min(1),
  reason: SuppressionReason,
  at: z.iso.datetime(),
  /** Set on a temporary suppression: from then on the address is tried again. Left out, it is for good. */
  until: z.iso.datetime().optional(),
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
  until: z.iso.datetime().optional(),
  detail: z.string().optional(),
});
export type SuppressionRecord = z.infer<typeof SuppressionRecord>;

/** Whether a suppression holds at `now`: one for good always does, a temporary one until its `until`. */
export const suppressionInForce = (record: Pick<SuppressionRecord, 'until'>, now: Date): boolean =>
  record.until === undefined || now.getTime() < Date.parse(record.until);

export interface SuppressionStore {
  /**
   * True for an address suppressed in the clear or, after an erasure, by its hash,
   * by a suppression in force at `now`.
   */
  isSuppressed(channel: Suppression['channel'], address: string, now: Date): Promise<boolean>;
  /**
   * Idempotent. A suppression for good keeps the first record and replaces a
   * temporary one; a temporary one never replaces or shortens one for good, nor
   * another temporary one before its `until`. An address suppressed by an erasure
   * is suppressed already, and is not written down in the clear again.
   */
  suppress(suppression: Suppression): Promise<void>;
  /**
   * The suppression on record for an address, in the clear or hashed; undefined
   * when none. A temporary one is returned after its `until` too, until it is
   * cleaned up: `suppressionInForce` tells whether it still holds.
   */
  find(channel: Suppression['channel'], address: string): Promise<SuppressionRecord | undefined>;
  /**
   * Erasure: suppresses the address by its hash (keeping an earlier hashed record)
   * and then removes the record in the clear. True when there was one to remove.
   */
  suppressForErasure(channel: Suppression['channel'], address: string, at: Date): Promise<boolean>;
}
