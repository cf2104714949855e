import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CampaignAudienceChunk,
  CampaignDefinition,
  CampaignRecipient,
  SavedCampaign,
} from '../../domain/campaign.js';
import { ConcurrentUpdateError, ConflictError, NotFoundError } from '../../domain/errors.js';
import type { JobCursor } from '../../domain/journey-job.js';
import type { CampaignAudienceStore, CampaignChanges, CampaignStore } from '../../ports/campaign-store.js';
import type { Page } from '../../ports/page.js';
import {
  campaignFromItem,
  campaignItem,
  changedCampaign,
  chunkCursor,
  chunkFromItem,
  chunkItem,
  recipientFromItem,
  recipientItem,
  savedCampaign,
} from './campaign-items.js';
import { mustNotExist } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure } from './transactions.js';

/** Campaigns in one partition (`CAMPAIGNS` / `CP#<id>`), each written whole over its version. */
export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(campaignId: string): Promise<SavedCampaign | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.campaign(campaignId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : campaignFromItem(Item);
  }

  async list(): Promise<SavedCampaign[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.campaignPartition, ':prefix': keys.campaignPrefix },
      ConsistentRead: true,
    });
    return items.map(campaignFromItem);
  }

  async put(definition: CampaignDefinition, now: Date, expectedVersion?: number): Promise<SavedCampaign> {
    const previous = expectedVersion === undefined ? undefined : await this.get(definition.id);
    if (expectedVersion !== undefined && previous?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(
        `campaign "${definition.id}" is at version ${previous?.version ?? 'none'}, not ${expectedVersion}`,
      );
    }
    const saved = savedCampaign(definition, now, previous);
    try {
      await this.putOver(saved, expectedVersion);
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      if (expectedVersion === undefined)
        throw new ConflictError(`campaign "${definition.id}" exists already; replace it with its version`);
      throw new ConcurrentUpdateError(`campaign "${definition.id}" changed since version ${expectedVersion}`);
    }
    return saved;
  }

  async update(
    campaignId: string,
    changes: CampaignChanges,
    now: Date,
    expectedVersion: number,
  ): Promise<SavedCampaign> {
    const current = await this.get(campaignId);
    if (current === undefined) throw new NotFoundError(`there is no campaign "${campaignId}"`);
    if (current.version !== expectedVersion)
      throw new ConcurrentUpdateError(`campaign "${campaignId}" changed since version ${expectedVersion}`);
    const next = changedCampaign(current, changes, now);
    try {
      await this.putOver(next, expectedVersion);
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      throw new ConcurrentUpdateError(`campaign "${campaignId}" changed since version ${expectedVersion}`);
    }
    return next;
  }

  private async putOver(campaign: SavedCampaign, expectedVersion: number | undefined): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: campaignItem(campaign),
        ...(expectedVersion === undefined
          ? { ConditionExpression: mustNotExist }
          : {
              ConditionExpression: '#version = :read',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':read': expectedVersion },
            }),
      }),
    );
  }
}

/** Recipients under their contacts (`C#<contactId>` / `CAMPAIGN#<campaignId>`), listed in GSI1 by campaign. */
export class DynamoCampaignAudienceStore implements CampaignAudienceStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async putNew(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: mustNotExist }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  addChunk(chunk: CampaignAudienceChunk): Promise<boolean> {
    return this.putNew(chunkItem(chunk));
  }

  async chunks(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignAudienceChunk>> {
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.campaignChunkPartition(campaignId) },
        ...(cursor.after === undefined ? {} : { ExclusiveStartKey: cursor.after }),
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    const after = LastEvaluatedKey === undefined ? undefined : chunkCursor(LastEvaluatedKey);
    return {
      items: Items.map(chunkFromItem),
      next: after === undefined ? undefined : { shard: 0, after },
    };
  }

  addControl(recipient: CampaignRecipient): Promise<boolean> {
    return this.putNew(recipientItem(recipient));
  }

  async get(campaignId: string, contactId: string): Promise<CampaignRecipient | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.campaignRecipient(contactId, campaignId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : recipientFromItem(Item);
  }
}
