import type {
  CampaignDefinition,
  CampaignRecipient,
  CampaignStatus,
  SavedCampaign,
} from '../domain/campaign.js';
import type { JobCursor } from '../domain/journey-job.js';
import type { Page } from './page.js';

/** What a lifecycle step changes besides the version. */
export interface CampaignChanges {
  status?: CampaignStatus;
  launchedAt?: string;
  /** `null` removes it (a resume). */
  pausedFrom?: CampaignStatus | null;
  winner?: string;
}

export interface CampaignStore {
  get(campaignId: string): Promise<SavedCampaign | undefined>;
  /** Every campaign, by id. */
  list(): Promise<SavedCampaign[]>;
  /**
   * Creates the campaign as a draft (`expectedVersion` undefined: ConflictError if
   * it exists) or replaces its definition over `expectedVersion`
   * (ConcurrentUpdateError if another write came first), keeping its status.
   */
  put(definition: CampaignDefinition, now: Date, expectedVersion?: number): Promise<SavedCampaign>;
  /** Applies a lifecycle step over `expectedVersion` (ConcurrentUpdateError if it moved); answers the stored campaign. */
  update(
    campaignId: string,
    changes: CampaignChanges,
    now: Date,
    expectedVersion: number,
  ): Promise<SavedCampaign>;
}

/**
 * A campaign's frozen audience: one item per recipient under its contact. The
 * recipients held for an A/B winner are also listed per campaign in the index
 * (`CREC#<campaignId>#<shard>`), so the winner can walk them without reading
 * every contact again; they stay listed once released.
 */
export interface CampaignRecipientStore {
  /** Stores the recipient unless the contact already is one of the campaign's; true when stored now. */
  add(recipient: CampaignRecipient): Promise<boolean>;
  get(campaignId: string, contactId: string): Promise<CampaignRecipient | undefined>;
  /**
   * One page of the campaign's listed recipients (held, or released from held)
   * from the cursor; consistent items behind an eventually consistent index.
   */
  page(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignRecipient>>;
  /** Gives a held recipient its variant and send slot; false when it was not held (released already). */
  release(campaignId: string, contactId: string, variant: string, sendAt: string): Promise<boolean>;
}
