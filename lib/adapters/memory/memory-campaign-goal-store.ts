import { CampaignRecipient } from '../../domain/campaign.js';
import { type CounterIncrement, mergeIncrements } from '../../domain/counter-increment.js';
import { Message } from '../../domain/message.js';
import type { CampaignGoalStore } from '../../ports/campaign-goal-store.js';
import { recipientItem, recipientsOfContact } from '../dynamodb/campaign-items.js';
import { counterShardOf } from '../dynamodb/counter-items.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from '../dynamodb/damaged-items.js';
import { keys } from '../dynamodb/keys.js';
import { counterWrites } from './memory-counters.js';
import type { MemoryTable } from './memory-table.js';

/** The control records and marks MemoryCampaignAudienceStore writes and the campaign messages, as DynamoDB reads them. */
export class MemoryCampaignGoalStore implements CampaignGoalStore {
  constructor(
    private readonly table: MemoryTable,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async forContact(contactId: string): Promise<CampaignRecipient[]> {
    const partition = keys.contact(contactId).PK;
    return recipientsOfContact(
      readEachSkipping(
        CampaignRecipient,
        this.table.queryAll(partition, { prefix: keys.campaignRecipientPrefix }),
        this.reportDamage,
      ),
      readEachSkipping(
        Message,
        this.table.queryAll(partition, { prefix: keys.campaignMessagePrefix }),
        this.reportDamage,
      ),
    );
  }

  async reachGoal(
    recipient: CampaignRecipient,
    at: string,
    counters: readonly CounterIncrement[] = [],
  ): Promise<boolean> {
    const { contactId, campaignId } = recipient;
    const cancellation = this.table.transact([
      {
        update: keys.campaignRecipient(contactId, campaignId),
        apply: (current) => ({ ...current, ...recipientItem(recipient), goalReachedAt: at }),
        condition: (current) => current?.goalReachedAt === undefined,
      },
      ...counterWrites(mergeIncrements(counters), counterShardOf(`${contactId}#${campaignId}`)),
    ]);
    return cancellation === undefined;
  }
}
