import { z } from 'zod';
import type { SavedSegment } from './audience-segment.js';
import type { ContactEvent, ContactEventType } from './contact-event.js';

/** A contact's place in a live segment, as last evaluated: kept until an evaluation finds it out. */
export const SegmentMembership = z.object({
  contactId: z.string().min(1),
  segmentId: z.string().min(1),
  enteredAt: z.iso.datetime(),
});
export type SegmentMembership = z.infer<typeof SegmentMembership>;

/**
 * Events after which the contact may be in other segments: the ones written
 * with a change of the profile. Segment events themselves are not among them,
 * so an entry never re-evaluates into another; what changes without an event
 * (a rescore, a bounce, time itself) is caught by the nightly pass.
 */
const contactChangingEvents: ReadonlySet<ContactEventType> = new Set<ContactEventType>([
  'signup_confirmed',
  'unsubscribed',
  'topics_changed',
  'contact_updated',
  'order_completed',
  'order_refunded',
]);

export const changesContact = (type: ContactEventType): boolean => contactChangingEvents.has(type);

/** The event an entry or exit writes, in the transaction that moves the marker. */
export const segmentEvent = (
  type: 'segment_entered' | 'segment_exited',
  contactId: string,
  segment: Pick<SavedSegment, 'id' | 'name'>,
  id: string,
  at: Date,
): ContactEvent => ({
  id,
  contactId,
  type,
  at: at.toISOString(),
  data: { segmentId: segment.id, segmentName: segment.name },
});
