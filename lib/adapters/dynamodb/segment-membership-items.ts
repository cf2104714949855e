import { SegmentMembership } from '../../domain/segment-membership.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/** Under the contact, so export and erasure find it with everything else about the person. */
export const segmentMembershipPrefix = 'SEGMENT#';

export const segmentMembershipKey = (contactId: string, segmentId: string) => ({
  PK: keys.contact(contactId).PK,
  SK: `${segmentMembershipPrefix}${segmentId}`,
});

export const segmentMembershipItem = (membership: SegmentMembership) => ({
  ...segmentMembershipKey(membership.contactId, membership.segmentId),
  type: 'segment-membership' satisfies ItemType,
  ...membership,
});

export const membershipFromItem = (item: Record<string, unknown>): SegmentMembership =>
  SegmentMembership.parse(item);
