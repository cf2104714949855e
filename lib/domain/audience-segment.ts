import { z } from 'zod';
import { SegmentCondition } from './segment-condition.js';

/** Lower-case letters, digits and `-`, like journey ids: it appears in URLs, keys and event data. */
export const SegmentId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be 1-64 lower-case letters, digits or "-", starting with a letter or digit',
  );
export type SegmentId = z.infer<typeof SegmentId>;

/**
 * A saved audience: a named condition over the contact (segment-condition.ts).
 * A `live` segment is re-evaluated whenever a contact changes, and its entries
 * and exits become `segment_entered` / `segment_exited` events journeys can
 * start on; others are evaluated when counted or mailed.
 */
export const SegmentDefinition = z.object({
  id: SegmentId,
  name: z.string().trim().min(1, 'is required').max(200),
  description: z.string().max(2_000).optional(),
  condition: SegmentCondition,
  live: z.boolean().default(false),
});
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;

/** A segment as stored: its definition, when it was made and changed, and a version for optimistic concurrency. */
export const SavedSegment = SegmentDefinition.extend({
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().min(1),
});
export type SavedSegment = z.infer<typeof SavedSegment>;
