import type {
  CampaignAudienceChunk,
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
 * A campaign's frozen audience: its treatment members in chunks, read in
 * sending order by the sender, and a record under each control member's
 * contact, where the goal looks.
 */
export interface CampaignAudienceStore {
  /** Stores the chunk unless its page stored one for the same start already; true when stored now. */
  addChunk(chunk: CampaignAudienceChunk): Promise<boolean>;
  /** The campaign's chunks after the cursor, by start and then page. */
  chunks(campaignId: string, cursor: JobCursor, limit: number): Promise<Page<CampaignAudienceChunk>>;
  /** Stores a control member's record unless the contact has one for the campaign; true when stored now. */
  addControl(recipient: CampaignRecipient): Promise<boolean>;
  /** The contact's record in the campaign: a control member's, or a conversion's mark. */
  get(campaignId: string, contactId: string): Promise<CampaignRecipient | undefined>;
}
