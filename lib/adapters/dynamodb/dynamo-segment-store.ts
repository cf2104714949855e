import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SavedSegment, SegmentDefinition } from '../../domain/audience-segment.js';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.js';
import type { SegmentStore } from '../../ports/segment-store.js';
import { mustNotExist } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { savedSegment, segmentFromItem, segmentItem } from './segment-items.js';
import { isConditionalCheckFailure } from './transactions.js';

/** Segments in one partition (`SEGMENTS` / `S#<id>`): a base has tens of them, never enough to need more. */
export class DynamoSegmentStore implements SegmentStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(segmentId: string): Promise<SavedSegment | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.segment(segmentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : segmentFromItem(Item);
  }

  async list(): Promise<SavedSegment[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.segmentPartition, ':prefix': keys.segmentPrefix },
      ConsistentRead: true,
    });
    return items.map(segmentFromItem);
  }

  async live(): Promise<SavedSegment[]> {
    return (await this.list()).filter((segment) => segment.live);
  }

  async put(definition: SegmentDefinition, now: Date, expectedVersion?: number): Promise<SavedSegment> {
    const previous = expectedVersion === undefined ? undefined : await this.get(definition.id);
    if (expectedVersion !== undefined && previous?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(
        `segment "${definition.id}" is at version ${previous?.version ?? 'none'}, not ${expectedVersion}`,
      );
    }
    const saved = savedSegment(definition, now, previous);
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: segmentItem(saved),
          ...(expectedVersion === undefined
            ? { ConditionExpression: mustNotExist }
            : {
                ConditionExpression: '#version = :read',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':read': expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      if (expectedVersion === undefined)
        throw new ConflictError(`segment "${definition.id}" exists already; replace it with its version`);
      throw new ConcurrentUpdateError(`segment "${definition.id}" changed since version ${expectedVersion}`);
    }
    return saved;
  }

  async delete(segmentId: string): Promise<boolean> {
    const { Attributes } = await this.documentClient.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.segment(segmentId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
