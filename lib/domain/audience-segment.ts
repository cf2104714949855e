import { z } from 'zod';
import { Problem } from './problem.js';
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

/** One count of a segment, as people follow it (`GET /admin/segments/{id}/count`): how far it got, what it found, a few members. */
export const SegmentCountView = z.object({
  jobId: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  done: z.boolean(),
  /** The version of the segment counted, and the moment its dates were measured from. */
  version: z.number().int(),
  at: z.iso.datetime(),
  /** Contacts looked at so far, and how many of them are in the segment. */
  seen: z.number().int(),
  members: z.number().int(),
  /** Up to 10 members (an erased one drops out). */
  sample: z.array(z.object({ contactId: z.string(), email: z.string() })),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  error: z.string().optional(),
});
export type SegmentCountView = z.infer<typeof SegmentCountView>;

export const SegmentCountAnswer = z.object({ segmentId: z.string(), count: SegmentCountView.nullable() });
export type SegmentCountAnswer = z.infer<typeof SegmentCountAnswer>;

export const SegmentList = z.object({ segments: z.array(SavedSegment) });
export type SegmentList = z.infer<typeof SegmentList>;

/** `POST /admin/segments/validate`: whether a definition would be stored, and what is wrong with it, by path. */
export const SegmentValidation = z.object({ valid: z.boolean(), problems: z.array(Problem) });
export type SegmentValidation = z.infer<typeof SegmentValidation>;

/** `PUT /admin/segments/{id}`: the segment as stored, and whether it was new. */
export const PutSegmentResult = z.object({ segment: SavedSegment, created: z.boolean() });
export type PutSegmentResult = z.infer<typeof PutSegmentResult>;
