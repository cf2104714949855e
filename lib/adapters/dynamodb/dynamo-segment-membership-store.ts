import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactEvent } from '../../domain/contact-event.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { SegmentMembership } from '../../domain/segment-membership.js';
import type { SegmentMembershipStore } from '../../ports/segment-membership-store.js';
import { eventItem, putNew } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import {
  membershipFromItem,
  segmentMembershipItem,
  segmentMembershipKey,
  segmentMembershipPrefix,
} from './segment-membership-items.js';
import { type Cancellation, transactWrite } from './transactions.js';

const markerIndex = 0;

export class DynamoSegmentMembershipStore implements SegmentMembershipStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async of(contactId: string): Promise<SegmentMembership[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': segmentMembershipPrefix },
      ConsistentRead: true,
    });
    return items.map(membershipFromItem);
  }

  async enter(membership: SegmentMembership, event: ContactEvent): Promise<boolean> {
    const cancellation = await transactWrite(this.documentClient, [
      putNew(this.tableName, segmentMembershipItem(membership)),
      putNew(this.tableName, eventItem(event)),
    ]);
    return settled(cancellation, `${membership.contactId} entering ${membership.segmentId}`);
  }

  async exit(contactId: string, segmentId: string, event: ContactEvent): Promise<boolean> {
    const cancellation = await transactWrite(this.documentClient, [
      {
        Delete: {
          TableName: this.tableName,
          Key: segmentMembershipKey(contactId, segmentId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      putNew(this.tableName, eventItem(event)),
    ]);
    return settled(cancellation, `${contactId} leaving ${segmentId}`);
  }
}

/** True when written; false when the marker's condition failed (it was done already). */
const settled = (cancellation: Cancellation | undefined, what: string): boolean => {
  if (cancellation === undefined) return true;
  if (cancellation.failedConditions.includes(markerIndex)) return false;
  if (cancellation.conflicted)
    throw new ConcurrentUpdateError(`another write touched ${what} at the same time`);
  throw new Error(`${what} failed the conditions of items ${cancellation.failedConditions.join(', ')}`);
};
