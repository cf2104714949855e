import type { SavedSegment } from '../domain/audience-segment.js';
import type { Contact } from '../domain/contact.js';
import { matchesSegment } from '../domain/segment-condition.js';
import { segmentEvent } from '../domain/segment-membership.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { SegmentMembershipStore } from '../ports/segment-membership-store.js';

export interface RefreshSegmentMembershipDeps {
  /**
   * The `live: true` segments. The composition root reads them through a cache
   * of about a minute (every contact change asks), so a segment saved or made
   * live takes effect within that.
   */
  liveSegments: () => Promise<SavedSegment[]>;
  memberships: SegmentMembershipStore;
  clock: Clock;
  ids: IdGenerator;
}

export type MembershipChange =
  | { segmentId: string; change: 'entered' | 'exited' }
  /** The condition could not be evaluated on this contact; its membership is left as it was. */
  | { segmentId: string; change: 'failed'; error: string };

/**
 * Evaluates every live segment on the contact as it is now and writes what
 * changed: an entry (marker and `segment_entered` event) for a segment it now
 * matches without a marker, an exit (marker gone, `segment_exited`) for one it
 * has a marker for and no longer matches. Each is conditional on the marker,
 * so evaluating twice (a replayed record, the nightly pass beside the stream)
 * writes one event. Markers of segments that are no longer live are left: the
 * membership is as last evaluated, and a segment made live again goes on from it.
 */
export const refreshSegmentMembership = async (
  deps: RefreshSegmentMembershipDeps,
  contact: Contact,
): Promise<MembershipChange[]> => {
  const segments = await deps.liveSegments();
  if (segments.length === 0) return [];
  const now = deps.clock.now();
  const markers = new Set((await deps.memberships.of(contact.id)).map((marker) => marker.segmentId));
  const changes: MembershipChange[] = [];
  for (const segment of segments) {
    let matches: boolean;
    try {
      matches = matchesSegment(segment.condition, contact, now);
    } catch (error) {
      changes.push({
        segmentId: segment.id,
        change: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    const inSegment = markers.has(segment.id);
    if (matches && !inSegment) {
      const event = segmentEvent('segment_entered', contact.id, segment, deps.ids.next(), now);
      const entry = { contactId: contact.id, segmentId: segment.id, enteredAt: now.toISOString() };
      if (await deps.memberships.enter(entry, event))
        changes.push({ segmentId: segment.id, change: 'entered' });
    } else if (!matches && inSegment) {
      const event = segmentEvent('segment_exited', contact.id, segment, deps.ids.next(), now);
      if (await deps.memberships.exit(contact.id, segment.id, event))
        changes.push({ segmentId: segment.id, change: 'exited' });
    }
  }
  return changes;
};
