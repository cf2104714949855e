import type { ContactEvent } from '../../domain/contact-event.js';
import type { SegmentMembership } from '../../domain/segment-membership.js';
import type { SegmentMembershipStore } from '../../ports/segment-membership-store.js';
import { eventItem } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import {
  membershipFromItem,
  segmentMembershipItem,
  segmentMembershipKey,
  segmentMembershipPrefix,
} from '../dynamodb/segment-membership-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

const markerIndex = 0;

/** The membership store on the memory table: DynamoSegmentMembershipStore's items, conditions and answers. */
export class MemorySegmentMembershipStore implements SegmentMembershipStore {
  constructor(private readonly table: MemoryTable) {}

  async of(contactId: string): Promise<SegmentMembership[]> {
    return this.table
      .queryAll(keys.contact(contactId).PK, { prefix: segmentMembershipPrefix })
      .map(membershipFromItem);
  }

  async enter(membership: SegmentMembership, event: ContactEvent): Promise<boolean> {
    const cancellation = this.table.transact([
      { put: segmentMembershipItem(membership), condition: itemAbsent },
      { put: eventItem(event), condition: itemAbsent },
    ]);
    return settled(
      cancellation?.failedConditions,
      `${membership.contactId} entering ${membership.segmentId}`,
    );
  }

  async exit(contactId: string, segmentId: string, event: ContactEvent): Promise<boolean> {
    const cancellation = this.table.transact([
      { delete: segmentMembershipKey(contactId, segmentId), condition: (current) => current !== undefined },
      { put: eventItem(event), condition: itemAbsent },
    ]);
    return settled(cancellation?.failedConditions, `${contactId} leaving ${segmentId}`);
  }
}

const settled = (failedConditions: number[] | undefined, what: string): boolean => {
  if (failedConditions === undefined) return true;
  if (failedConditions.includes(markerIndex)) return false;
  throw new Error(`${what} failed the conditions of items ${failedConditions.join(', ')}`);
};
