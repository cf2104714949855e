import { CampaignRecipient } from '../../domain/campaign.js';
import type { CampaignGoalStore } from '../../ports/campaign-goal-store.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from '../dynamodb/damaged-items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

/** The recipient items MemoryCampaignRecipientStore writes, read by contact for their goals, as DynamoDB does. */
export class MemoryCampaignGoalStore implements CampaignGoalStore {
  constructor(
    private readonly table: MemoryTable,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async forContact(contactId: string): Promise<CampaignRecipient[]> {
    const items = this.table.queryAll(keys.contact(contactId).PK, { prefix: keys.campaignRecipientPrefix });
    return readEachSkipping(CampaignRecipient, items, this.reportDamage);
  }

  async reachGoal(campaignId: string, contactId: string, at: string): Promise<boolean> {
    return this.table.write({
      update: keys.campaignRecipient(contactId, campaignId),
      apply: (current) => ({ ...current, goalReachedAt: at }),
      condition: (current) => current !== undefined && current.goalReachedAt === undefined,
    }).written;
  }
}
