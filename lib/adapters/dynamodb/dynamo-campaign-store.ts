import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignDefinition, CampaignRecipient, SavedCampaign } from '../../domain/campaign.js';
import { ConcurrentUpdateError, ConflictError, NotFoundError } from '../../domain/errors.js';
import type { JobCursor } from '../../domain/journey-job.js';
import type { CampaignChanges, CampaignRecipientStore, CampaignStore } from '../../ports/campaign-store.js';
import type { Page } from '../../ports/page.js';
import {
  campaignFromItem,
  campaignItem,
  changedCampaign,
  recipientFromItem,
  recipientItem,
  savedCampaign,
} from './campaign-items.js';
import { mustNotExist } from './items.js';
import { keys, listIndexKeys } from './keys.js';
import { readListPage } from './list-index.js';
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
export class DynamoCampaignRecipientStore implements CampaignRecipientStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(recipient: CampaignRecipient): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: recipientItem(recipient),
          ConditionExpression: mustNotExist,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
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

  async page(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignRecipient>> {
    const page = await readListPage(
      this.documentClient,
      this.tableName,
      (shard) => listIndexKeys.campaignRecipientPartition(campaignId, shard),
      cursor,
      limit,
    );
    return { items: page.items.map(recipientFromItem), next: page.next };
  }

  async release(campaignId: string, contactId: string, variant: string, sendAt: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaignRecipient(contactId, campaignId),
          UpdateExpression: 'SET held = :no, variant = :variant, sendAt = :sendAt',
          ConditionExpression: 'held = :yes',
          ExpressionAttributeValues: { ':no': false, ':yes': true, ':variant': variant, ':sendAt': sendAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
