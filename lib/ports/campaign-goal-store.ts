import type { CampaignRecipient } from '../domain/campaign.js';
import type { CounterIncrement } from '../domain/counter-increment.js';

/**
 * The goal side of a contact's campaigns: which campaigns the contact is
 * measured in (a control record under the contact, or a treatment member's
 * campaign message), and the one-time mark that they reached a campaign's goal.
 */
export interface CampaignGoalStore {
  /**
   * The contact's campaign records, every campaign's: control members' and
   * conversion marks as stored, and a treatment member for each campaign
   * message without one; a damaged one is left out (and reported).
   */
  forContact(contactId: string): Promise<CampaignRecipient[]>;
  /**
   * Marks the recipient's goal reached at `at` (writing its record if it had
   * none: a treatment member's) unless it is marked already: true only for the
   * write that marked it, so a replayed event never counts a conversion twice.
   * `counters` (the conversion's) are added in the same transaction as the mark.
   */
  reachGoal(
    recipient: CampaignRecipient,
    at: string,
    counters?: readonly CounterIncrement[],
  ): Promise<boolean>;
}
