import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CampaignRecipient } from '../../domain/campaign.js';
import type { CampaignGoalStore } from '../../ports/campaign-goal-store.js';
import { type DamageReporter, readEachSkipping } from './damaged-items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure } from './transactions.js';

/** The recipient items DynamoCampaignRecipientStore writes, read by contact for their goals. */
export class DynamoCampaignGoalStore implements CampaignGoalStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reportDamage: DamageReporter,
  ) {}

  async forContact(contactId: string): Promise<CampaignRecipient[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.contact(contactId).PK,
        ':prefix': keys.campaignRecipientPrefix,
      },
      ConsistentRead: true,
    });
    // One damaged recipient must not stop the contact's events for every journey.
    return readEachSkipping(CampaignRecipient, items, this.reportDamage);
  }

  async reachGoal(campaignId: string, contactId: string, at: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaignRecipient(contactId, campaignId),
          UpdateExpression: 'SET goalReachedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(goalReachedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
