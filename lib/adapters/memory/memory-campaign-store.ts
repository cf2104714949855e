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
} from '../dynamodb/campaign-items.js';
import { keys, listIndexKeys } from '../dynamodb/keys.js';
import { readListPage } from './memory-list-index.js';
import { attributeIs, itemAbsent, type MemoryTable } from './memory-table.js';

/** Campaigns in the CAMPAIGNS partition, written over their version, as DynamoCampaignStore keeps them. */
export class MemoryCampaignStore implements CampaignStore {
  constructor(private readonly table: MemoryTable) {}

  async get(campaignId: string): Promise<SavedCampaign | undefined> {
    const item = this.table.get(keys.campaign(campaignId));
    return item === undefined ? undefined : campaignFromItem(item);
  }

  async list(): Promise<SavedCampaign[]> {
    return this.table.queryAll(keys.campaignPartition, { prefix: keys.campaignPrefix }).map(campaignFromItem);
  }

  async put(definition: CampaignDefinition, now: Date, expectedVersion?: number): Promise<SavedCampaign> {
    const previous = expectedVersion === undefined ? undefined : await this.get(definition.id);
    if (expectedVersion !== undefined && previous?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(
        `campaign "${definition.id}" is at version ${previous?.version ?? 'none'}, not ${expectedVersion}`,
      );
    }
    const saved = savedCampaign(definition, now, previous);
    const outcome = this.table.write({
      put: campaignItem(saved),
      condition: expectedVersion === undefined ? itemAbsent : attributeIs('version', expectedVersion),
    });
    if (!outcome.written) {
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
    const outcome = this.table.write({
      put: campaignItem(next),
      condition: attributeIs('version', expectedVersion),
    });
    if (!outcome.written)
      throw new ConcurrentUpdateError(`campaign "${campaignId}" changed since version ${expectedVersion}`);
    return next;
  }
}

/** Recipients under their contacts, listed per campaign in the index, as DynamoCampaignRecipientStore keeps them. */
export class MemoryCampaignRecipientStore implements CampaignRecipientStore {
  constructor(private readonly table: MemoryTable) {}

  async add(recipient: CampaignRecipient): Promise<boolean> {
    return this.table.write({ put: recipientItem(recipient), condition: itemAbsent }).written;
  }

  async get(campaignId: string, contactId: string): Promise<CampaignRecipient | undefined> {
    const item = this.table.get(keys.campaignRecipient(contactId, campaignId));
    return item === undefined ? undefined : recipientFromItem(item);
  }

  async page(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignRecipient>> {
    const page = readListPage(
      this.table,
      (shard) => listIndexKeys.campaignRecipientPartition(campaignId, shard),
      cursor,
      limit,
    );
    return { items: page.items.map(recipientFromItem), next: page.next };
  }

  async release(campaignId: string, contactId: string, variant: string, sendAt: string): Promise<boolean> {
    return this.table.write({
      update: keys.campaignRecipient(contactId, campaignId),
      apply: (current) => ({ ...current, held: false, variant, sendAt }),
      condition: attributeIs('held', true),
    }).written;
  }
}
