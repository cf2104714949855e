import type { ContactEvent } from '../domain/contact-event.js';
import type { SegmentMembership } from '../domain/segment-membership.js';

/**
 * Which live segments each contact is in, one marker per segment under the
 * contact. Entries and exits move the marker and write their event together,
 * each on a condition, so one evaluated twice (a replayed stream record, the
 * nightly pass beside the stream) writes one event.
 */
export interface SegmentMembershipStore {
  /** The contact's markers, by segment id. */
  of(contactId: string): Promise<SegmentMembership[]>;
  /** Writes the marker and the event if the contact has no marker for the segment; false if it had one. */
  enter(membership: SegmentMembership, event: ContactEvent): Promise<boolean>;
  /** Deletes the marker and writes the event if the marker is there; false if it was not. */
  exit(contactId: string, segmentId: string, event: ContactEvent): Promise<boolean>;
}
