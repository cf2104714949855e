import type { SavedCampaign } from '../domain/campaign.js';
import { statsScope } from '../domain/stats-keys.js';

/** A journey or campaign as the reports read it: its counters' scope and how to name it. */
export interface Mailing {
  id: string;
  name: string;
  scope: string;
}

/**
 * The journeys and campaigns that can have counters: a journey once published,
 * a campaign once launched (it counts nothing before).
 */
export const mailingsOf = (
  journeys: ReadonlyArray<{ journeyId: string; name: string; latestVersion: number }>,
  campaigns: ReadonlyArray<Pick<SavedCampaign, 'launchedAt' | 'definition'>>,
): { journeys: Mailing[]; campaigns: Mailing[] } => ({
  journeys: journeys
    .filter((journey) => journey.latestVersion > 0)
    .map((journey) => ({
      id: journey.journeyId,
      name: journey.name,
      scope: statsScope.journey(journey.journeyId),
    })),
  campaigns: campaigns
    .filter((campaign) => campaign.launchedAt !== undefined)
    .map(({ definition }) => ({
      id: definition.id,
      name: definition.name,
      scope: statsScope.campaign(definition.id),
    })),
});
