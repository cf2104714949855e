import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CampaignRecipient } from '../../domain/campaign.js';
import { Message } from '../../domain/message.js';
import type { CampaignGoalStore } from '../../ports/campaign-goal-store.js';
import { recipientsOfContact } from './campaign-items.js';
import { type DamageReporter, readEachSkipping } from './damaged-items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure } from './transactions.js';

/** The control records and marks DynamoCampaignAudienceStore writes and the campaign messages, read by contact. */
export class DynamoCampaignGoalStore implements CampaignGoalStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reportDamage: DamageReporter,
  ) {}

  private underContact(contactId: string, prefix: string) {
    return queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': prefix },
      ConsistentRead: true,
    });
  }

  async forContact(contactId: string): Promise<CampaignRecipient[]> {
    const [records, messages] = await Promise.all([
      this.underContact(contactId, keys.campaignRecipientPrefix),
      this.underContact(contactId, keys.campaignMessagePrefix),
    ]);
    // One damaged item must not stop the contact's events for every journey.
    return recipientsOfContact(
      readEachSkipping(CampaignRecipient, records, this.reportDamage),
      readEachSkipping(Message, messages, this.reportDamage),
    );
  }

  async reachGoal(recipient: CampaignRecipient, at: string): Promise<boolean> {
    const { campaignId, contactId, group, variant, sendAt } = recipient;
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaignRecipient(contactId, campaignId),
          UpdateExpression: `SET #type = :type, campaignId = :campaign, contactId = :contact, #group = :group, sendAt = :sendAt, goalReachedAt = :at${variant === undefined ? '' : ', variant = :variant'}`,
          ConditionExpression: 'attribute_not_exists(goalReachedAt)',
          ExpressionAttributeNames: { '#type': 'type', '#group': 'group' },
          ExpressionAttributeValues: {
            ':type': 'campaign-recipient',
            ':campaign': campaignId,
            ':contact': contactId,
            ':group': group,
            ':sendAt': sendAt,
            ':at': at,
            ...(variant === undefined ? {} : { ':variant': variant }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
