import { z } from 'zod';
import { Channel } from './contact.js';

/**
 * The audit record of an erasure (`ERASED#<contactId>`). It holds no personal
 * data: the contact id is a random ULID that, once the profile and identities are
 * gone, links to no one; the counts say how much was removed, not what.
 *
 * `erasing` is written together with the profile's deletion, before the rest of
 * the partition is swept; `erased` once the sweep finished. A request that finds
 * `erasing` (an earlier one stopped half way) finishes the sweep.
 */
export const ErasureStatus = z.enum(['erasing', 'erased']);
export type ErasureStatus = z.infer<typeof ErasureStatus>;

export const ErasureRecord = z.object({
  contactId: z.string().min(1),
  status: ErasureStatus,
  requestedAt: z.iso.datetime(),
  erasedAt: z.iso.datetime().optional(),
  /**
   * Items removed, by kind: the partition's groups (profile, consentLog, events, …,
   * other), `identities` (email, phone and user id lookups) and `suppressions`
   * (plain-address suppressions replaced by hashed ones).
   */
  removed: z.record(z.string(), z.number().int().min(0)),
  /** Channels whose address is now suppressed by its SHA-256 only, so it is never contacted again. */
  suppressedByHash: z.array(Channel),
});
export type ErasureRecord = z.infer<typeof ErasureRecord>;

/** Adds counts kind by kind. */
export const addCounts = (
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> => {
  const sum: Record<string, number> = { ...a };
  for (const [kind, count] of Object.entries(b)) sum[kind] = (sum[kind] ?? 0) + count;
  return sum;
};

/**
 * The record with its fields in schema order and its counts by kind name, so a
 * repeated request answers byte for byte what the first did: DynamoDB keeps no
 * order of a map's keys.
 */
export const inStableOrder = (record: ErasureRecord): ErasureRecord =>
  ErasureRecord.parse({
    ...record,
    removed: Object.fromEntries(Object.entries(record.removed).sort(([a], [b]) => a.localeCompare(b))),
  });
