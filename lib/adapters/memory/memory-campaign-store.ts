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
} from '../dynamodb/campaign-items.js';
import { keys } from '../dynamodb/keys.js';
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
export class MemoryCampaignAudienceStore implements CampaignAudienceStore {
  constructor(private readonly table: MemoryTable) {}

  async addChunk(chunk: CampaignAudienceChunk): Promise<boolean> {
    return this.table.write({ put: chunkItem(chunk), condition: itemAbsent }).written;
  }

  async chunks(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignAudienceChunk>> {
    const startAfter = cursor.after?.SK;
    const page = this.table.query(keys.campaignChunkPartition(campaignId), {
      limit,
      ...(startAfter === undefined ? {} : { startAfter }),
    });
    return {
      items: page.items.map(chunkFromItem),
      next: page.lastKey === undefined ? undefined : { shard: 0, after: chunkCursor({ ...page.lastKey }) },
    };
  }

  async addControl(recipient: CampaignRecipient): Promise<boolean> {
    return this.table.write({ put: recipientItem(recipient), condition: itemAbsent }).written;
  }

  async get(campaignId: string, contactId: string): Promise<CampaignRecipient | undefined> {
    const item = this.table.get(keys.campaignRecipient(contactId, campaignId));
    return item === undefined ? undefined : recipientFromItem(item);
  }
}
