import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { Order } from '../../domain/order.js';
import type {
  DedupeMark,
  IdentityClaim,
  IngestionStore,
  IngestionWrite,
} from '../../ports/ingestion-store.js';
import { batchGetItems, itemKeyText } from './batch-get.js';
import { counterShardOf, counterUpdates } from './counter-items.js';
import { dedupeItem, claimKey as identityKey, orderItem } from './ingestion-items.js';
import { eventItem, identityItem, profileItem, putNew } from './items.js';
import { keys } from './keys.js';
import { type TransactItem, transactWriteThroughConflicts } from './transactions.js';

export class DynamoIngestionStore implements IngestionStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async resolve(claim: IdentityClaim): Promise<string | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: identityKey(claim), ConsistentRead: true }),
    );
    return typeof Item?.contactId === 'string' ? Item.contactId : undefined;
  }

  async resolveMany(claims: readonly IdentityClaim[]): Promise<Array<string | undefined>> {
    const found = await batchGetItems(this.documentClient, this.tableName, claims.map(identityKey));
    return claims.map((claim) => {
      const contactId = found.get(itemKeyText(identityKey(claim)))?.contactId;
      return typeof contactId === 'string' ? contactId : undefined;
    });
  }

  async marked(marks: ReadonlyArray<Pick<DedupeMark, 'kind' | 'id'>>): Promise<boolean[]> {
    const markKey = (mark: Pick<DedupeMark, 'kind' | 'id'>) => keys.dedupe(mark.kind, mark.id);
    const found = await batchGetItems(this.documentClient, this.tableName, marks.map(markKey));
    return marks.map((mark) => found.has(itemKeyText(markKey(mark))));
  }

  async record(write: IngestionWrite): Promise<'stored' | 'duplicate'> {
    const { profile, event, order } = write;
    const items: TransactItem[] = write.dedupe.map((mark) => putNew(this.tableName, dedupeItem(mark, event)));
    const dedupeCount = items.length;
    if (profile.kind === 'new') items.push(putNew(this.tableName, profileItem(profile.contact)));
    if (profile.kind === 'update') {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: profileItem(profile.contact),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': profile.expectedVersion },
        },
      });
    }
    if (profile.kind === 'unchanged') {
      // The contact may have been erased since it was read: nothing may be written under it then.
      items.push({
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.contact(profile.contactId),
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': profile.readVersion },
        },
      });
    }
    const contactId = profile.kind === 'unchanged' ? profile.contactId : profile.contact.id;
    if (profile.kind !== 'unchanged') {
      for (const claim of profile.identities) {
        const item = identityItem(identityKey(claim), contactId);
        items.push(
          claim.replaces === undefined
            ? putNew(this.tableName, item)
            : {
                Put: {
                  TableName: this.tableName,
                  Item: item,
                  ConditionExpression: 'attribute_not_exists(PK) OR contactId = :stale',
                  ExpressionAttributeValues: { ':stale': claim.replaces },
                },
              },
        );
      }
    }
    items.push(putNew(this.tableName, eventItem(event)));
    const orderIndex = items.length;
    if (order !== undefined) {
      items.push(putNew(this.tableName, orderItem(contactId, order)));
    }
    if (write.refund !== undefined) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.order(contactId, write.refund.orderId),
          UpdateExpression: 'SET #refunded = :after',
          ConditionExpression:
            'attribute_exists(PK) AND (#refunded = :before OR (attribute_not_exists(#refunded) AND :before = :zero))',
          ExpressionAttributeNames: { '#refunded': 'refunded' },
          ExpressionAttributeValues: {
            ':before': write.refund.refundedBefore,
            ':after': write.refund.refundedAfter,
            ':zero': 0,
          },
        },
      });
    }
    const counters = mergeIncrements(write.counters ?? []);
    items.push(...counterUpdates(this.tableName, counters, counterShardOf(event.id)));
    const cancellation = await transactWriteThroughConflicts(this.documentClient, items);
    if (cancellation === undefined) return 'stored';
    // An order stored before its dedupe mark expired is still the same order.
    if (
      cancellation.failedConditions.some(
        (index) => index < dedupeCount || (order !== undefined && index === orderIndex),
      )
    )
      return 'duplicate';
    throw new ConcurrentUpdateError(
      `recording event ${event.id} for contact ${contactId} met a concurrent write (items ${cancellation.failedConditions.join(', ')})`,
    );
  }

  async order(contactId: string, orderId: string): Promise<Order | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.order(contactId, orderId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : Order.parse(Item);
  }
}
