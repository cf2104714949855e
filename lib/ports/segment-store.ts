import type { SavedSegment, SegmentDefinition } from '../domain/audience-segment.js';

export interface SegmentStore {
  get(segmentId: string): Promise<SavedSegment | undefined>;
  /** Every segment, by id. */
  list(): Promise<SavedSegment[]>;
  /** Only the `live: true` ones: what the stream re-evaluates on each contact change. */
  live(): Promise<SavedSegment[]>;
  /**
   * Creates the segment (`expectedVersion` undefined: ConflictError if it exists)
   * or replaces it over `expectedVersion` (ConcurrentUpdateError if another
   * write came first); answers the stored segment.
   */
  put(definition: SegmentDefinition, now: Date, expectedVersion?: number): Promise<SavedSegment>;
  /** Removes it; false if there was none. */
  delete(segmentId: string): Promise<boolean>;
}
