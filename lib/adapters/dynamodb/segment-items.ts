import { z } from 'zod';
import { SavedSegment, type SegmentDefinition } from '../../domain/audience-segment.js';
import { Condition } from '../../domain/conditions.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/**
 * A segment as read back: its condition is not checked against today's
 * condition rules, so tightening them never makes a saved segment unreadable
 * (it is refused when it is next saved or evaluated instead).
 */
const StoredSegment = SavedSegment.extend({ condition: Condition });

/** The item of a segment in the SEGMENTS partition; `asStored` drops undefined fields, as DynamoDB has none. */
export const segmentItem = (segment: SavedSegment) => ({
  ...keys.segment(segment.id),
  type: 'segment' satisfies ItemType,
  ...z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(segment))),
});

export const segmentFromItem = (item: Record<string, unknown>): SavedSegment => {
  const { PK: _pk, SK: _sk, type: _type, ...segment } = item;
  return StoredSegment.parse(segment);
};

/** The segment as saved over `previous` (undefined: a new one) at `now`. */
export const savedSegment = (
  definition: SegmentDefinition,
  now: Date,
  previous: SavedSegment | undefined,
): SavedSegment => ({
  ...definition,
  createdAt: previous?.createdAt ?? now.toISOString(),
  updatedAt: now.toISOString(),
  version: (previous?.version ?? 0) + 1,
});
