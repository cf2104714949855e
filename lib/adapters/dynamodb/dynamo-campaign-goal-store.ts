import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CampaignRecipient } from '../../domain/campaign.js';
import { type CounterIncrement, mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { Message } from '../../domain/message.js';
import type { CampaignGoalStore } from '../../ports/campaign-goal-store.js';
import { recipientsOfContact } from './campaign-items.js';
import { counterShardOf, counterUpdates } from './counter-items.js';
import { type DamageReporter, readEachSkipping } from './damaged-items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { transactWriteThroughConflicts } from './transactions.js';

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

  async reachGoal(
    recipient: CampaignRecipient,
    at: string,
    counters: readonly CounterIncrement[] = [],
  ): Promise<boolean> {
    const { campaignId, contactId, group, variant, sendAt } = recipient;
    const cancellation = await transactWriteThroughConflicts(this.documentClient, [
      {
        Update: {
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
        },
      },
      ...counterUpdates(
        this.tableName,
        mergeIncrements(counters),
        counterShardOf(`${contactId}#${campaignId}`),
      ),
    ]);
    if (cancellation === undefined) return true;
    if (cancellation.failedConditions.includes(0)) return false;
    throw new ConcurrentUpdateError(`the goal of campaign ${campaignId} for ${contactId} met other writes`);
  }
}
