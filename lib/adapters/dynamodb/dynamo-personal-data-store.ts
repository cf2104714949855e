import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ProfileIdentities } from '../../domain/contact.js';
import type { PartitionGroup } from '../../domain/contact-export.js';
import { ErasureRecord } from '../../domain/erasure.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { IdentityKind, PartitionItem, PersonalDataStore } from '../../ports/personal-data-store.js';
import { type BatchWriter, batchDelete } from './batch-write.js';
import { type ItemType, putNew } from './items.js';
import { keys } from './keys.js';
import { exportedItem, groupOf, identityKey } from './partition-groups.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure, transactWrite } from './transactions.js';

export { exportedItem, groupOf } from './partition-groups.js';

const IdentityItem = z.object({ contactId: z.string().min(1) });

const SortKey = z.object({ SK: z.string() });

export class DynamoPersonalDataStore implements PersonalDataStore {
  private readonly write: BatchWriter;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.write = (input) => this.documentClient.send(new BatchWriteCommand(input));
  }

  async profile(contactId: string): Promise<ProfileIdentities | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(contactId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : ProfileIdentities.parse(Item);
  }

  async partition(contactId: string): Promise<PartitionItem[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const group = groupOf(SortKey.parse(item).SK);
      return { group, item: exportedItem(group, item) };
    });
  }

  async identityOwner(kind: IdentityKind, value: string): Promise<string | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: identityKey(kind, value), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : IdentityItem.parse(Item).contactId;
  }

  async releaseIdentity(kind: IdentityKind, value: string, contactId: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: identityKey(kind, value),
          // A shared phone's lookup may belong to the other contact: that one is not ours to remove.
          ConditionExpression: 'contactId = :contactId',
          ExpressionAttributeValues: { ':contactId': contactId },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return false;
    }
  }

  async deletePartition(contactId: string): Promise<Partial<Record<PartitionGroup, number>>> {
    const counts: Partial<Record<PartitionGroup, number>> = {};
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      // Keys only, a page at a time: a contact with years of events never has to fit in memory.
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK },
          ProjectionExpression: 'PK, SK',
          ConsistentRead: true,
          Limit: 100,
          ExclusiveStartKey: startKey,
        }),
      );
      const itemKeys = page.Items ?? [];
      await batchDelete(this.write, this.tableName, itemKeys);
      for (const key of itemKeys) {
        const group = groupOf(SortKey.parse(key).SK);
        counts[group] = (counts[group] ?? 0) + 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return counts;
  }

  async beginErasure(record: ErasureRecord, expectedVersion: number): Promise<void> {
    const cancellation = await transactWrite(this.documentClient, [
      putNew(this.tableName, this.erasureItem(record)),
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.contact(record.contactId),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ]);
    if (cancellation === undefined) return;
    // The profile changed (a signup raced the erasure) or another erasure got there first:
    // the caller re-reads and either erases what is there now or finds the record.
    throw new ConcurrentUpdateError(
      `contact ${record.contactId} changed since version ${expectedVersion} was read for its erasure`,
    );
  }

  async finishErasure(record: ErasureRecord): Promise<ErasureRecord> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.erasureItem(record),
          ConditionExpression: '#status = :erasing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':erasing': 'erasing' },
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const stored = await this.erasure(record.contactId);
      if (stored === undefined) throw new Error(`the erasure record of ${record.contactId} disappeared`);
      return stored;
    }
  }

  async erasure(contactId: string): Promise<ErasureRecord | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.erasure(contactId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : ErasureRecord.parse(Item);
  }

  private erasureItem(record: ErasureRecord) {
    return { ...keys.erasure(record.contactId), type: 'erasure' satisfies ItemType, ...record };
  }
}
