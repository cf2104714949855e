import type { CampaignRecipient } from '../domain/campaign.js';

/**
 * The goal side of the campaign recipient records kept under each contact
 * (`C#<contactId>` / `CAMPAIGN#<campaignId>`): which campaigns a contact is
 * measured in, and the one-time mark that they reached a campaign's goal.
 */
export interface CampaignGoalStore {
  /** The contact's recipient records, every campaign's; a damaged one is left out (and reported). */
  forContact(contactId: string): Promise<CampaignRecipient[]>;
  /**
   * Sets the recipient's `goalReachedAt` unless it is set already (or there is
   * no such recipient): true only for the write that set it, so a replayed
   * event never counts a conversion twice.
   */
  reachGoal(campaignId: string, contactId: string, at: string): Promise<boolean>;
}
