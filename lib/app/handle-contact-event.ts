import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { changesContact } from '../domain/segment-membership.js';
import { type AdvanceJourneysDeps, advanceJourneys, type JourneyOutcome } from './advance-journeys.js';
import {
  type CampaignGoalOutcome,
  type RecordCampaignGoalsDeps,
  recordCampaignGoals,
} from './record-campaign-goals.js';
import {
  type MembershipChange,
  type RefreshSegmentMembershipDeps,
  refreshSegmentMembership,
} from './refresh-segment-membership.js';

export interface HandleContactEventDeps extends AdvanceJourneysDeps {
  segmentMembership: RefreshSegmentMembershipDeps;
  campaignGoals: RecordCampaignGoalsDeps;
}

export interface ContactEventOutcome {
  segments: MembershipChange[];
  journeys: JourneyOutcome[];
  /** Campaigns whose goal the event reached (or could not be checked against). */
  campaigns: CampaignGoalOutcome[];
}

/**
 * What the journeys function does with each new event: an event that changed
 * the contact first re-evaluates the live segments (whose entries and exits
 * arrive as events of their own, on the stream), then the event advances
 * journeys. Both are safe to redo, so a replayed record changes nothing twice.
 */
export const handleContactEvent = async (
  deps: HandleContactEventDeps,
  event: ContactEvent,
): Promise<ContactEventOutcome> => {
  let segments: MembershipChange[] = [];
  let contact: Contact | undefined;
  if (changesContact(event.type)) {
    contact = await deps.contacts.get(event.contactId);
    // Erased since: nothing to evaluate, and advanceJourneys does nothing for it either. Membership writes
    // events and markers, never the profile, so the contact read here is the one journeys need.
    if (contact !== undefined) segments = await refreshSegmentMembership(deps.segmentMembership, contact);
  }
  const journeys = await advanceJourneys(deps, event, contact);
  return { segments, journeys, campaigns: await recordCampaignGoals(deps.campaignGoals, event) };
};
