import { z } from 'zod';
import { type CampaignDefinition, CampaignRecipient, SavedCampaign } from '../../domain/campaign.js';
import type { CampaignChanges } from '../../ports/campaign-store.js';
import type { ItemType } from './items.js';
import { keys, listIndexKeys } from './keys.js';

/** Plain JSON: DynamoDB keeps no undefined attributes, and the memory table must hold the same item. */
const asStored = (value: unknown): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(value)));

export const campaignItem = (campaign: SavedCampaign) => ({
  ...keys.campaign(campaign.definition.id),
  type: 'campaign' satisfies ItemType,
  ...asStored(campaign),
});

export const campaignFromItem = (item: Record<string, unknown>): SavedCampaign => {
  const { PK: _pk, SK: _sk, type: _type, ...campaign } = item;
  return SavedCampaign.parse(campaign);
};

/** A new draft, or the definition replaced over `previous` (its status and launch kept). */
export const savedCampaign = (
  definition: CampaignDefinition,
  now: Date,
  previous: SavedCampaign | undefined,
): SavedCampaign => ({
  ...(previous ?? { status: 'draft', createdAt: now.toISOString() }),
  definition,
  updatedAt: now.toISOString(),
  version: (previous?.version ?? 0) + 1,
});

/** The campaign after a lifecycle step. */
export const changedCampaign = (
  campaign: SavedCampaign,
  changes: CampaignChanges,
  now: Date,
): SavedCampaign => {
  const { pausedFrom, ...rest } = changes;
  const { pausedFrom: previousPausedFrom, ...kept } = campaign;
  const nextPausedFrom = pausedFrom === null ? undefined : (pausedFrom ?? previousPausedFrom);
  return SavedCampaign.parse({
    ...kept,
    // A change left undefined keeps what was there.
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    ...(nextPausedFrom === undefined ? {} : { pausedFrom: nextPausedFrom }),
    updatedAt: now.toISOString(),
    version: campaign.version + 1,
  });
};

/**
 * Only a held recipient is listed in the index: the A/B winner's walk is the one
 * reader of the list, and it has nothing to do for the others, so they save the
 * index entry's write. A released recipient keeps its entry (the release only
 * sets attributes), so a winner page done again still finds it and re-files its timer.
 */
export const recipientItem = (recipient: CampaignRecipient) => ({
  ...keys.campaignRecipient(recipient.contactId, recipient.campaignId),
  ...(recipient.held ? listIndexKeys.campaignRecipient(recipient.campaignId, recipient.contactId) : {}),
  type: 'campaign-recipient' satisfies ItemType,
  ...asStored(recipient),
});

export const recipientFromItem = (item: Record<string, unknown>): CampaignRecipient => {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, type: _type, ...recipient } = item;
  return CampaignRecipient.parse(recipient);
};
