import { z } from 'zod';
import {
  CampaignAudienceChunk,
  type CampaignDefinition,
  CampaignRecipient,
  campaignMessageKey,
  SavedCampaign,
} from '../../domain/campaign.js';
import type { Message } from '../../domain/message.js';
import type { CampaignChanges } from '../../ports/campaign-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

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

export const recipientItem = (recipient: CampaignRecipient) => ({
  ...keys.campaignRecipient(recipient.contactId, recipient.campaignId),
  type: 'campaign-recipient' satisfies ItemType,
  ...asStored(recipient),
});

export const recipientFromItem = (item: Record<string, unknown>): CampaignRecipient => {
  const { PK: _pk, SK: _sk, type: _type, ...recipient } = item;
  return CampaignRecipient.parse(recipient);
};

/** A chunk is its ids and little else: some 30 bytes a member, so a write unit holds about 30 of them. */
export const chunkItem = (chunk: CampaignAudienceChunk) => ({
  ...keys.campaignChunk(chunk.campaignId, chunk.start, chunk.id),
  type: 'campaign-chunk' satisfies ItemType,
  ...asStored(chunk),
});

/** A chunk's key as a job cursor's `after`: strings only, as DynamoDB's LastEvaluatedKey here is. */
export const chunkCursor = (key: Record<string, unknown>): Record<string, string> =>
  z.object({ PK: z.string(), SK: z.string() }).parse(key);

export const chunkFromItem = (item: Record<string, unknown>): CampaignAudienceChunk => {
  const { PK: _pk, SK: _sk, type: _type, ...chunk } = item;
  return CampaignAudienceChunk.parse(chunk);
};

/**
 * The contact's campaign records: each control record and conversion mark as
 * stored, and for each campaign message without a record, the treatment member
 * it stands for (its window opening at the message's slot). Deferred copies of
 * a message (`~d1`) are the same member and add nothing.
 */
export const recipientsOfContact = (
  records: readonly CampaignRecipient[],
  messages: readonly Message[],
): CampaignRecipient[] => {
  const recorded = new Set(records.map((record) => record.campaignId));
  const fromMessages = messages.flatMap((message): CampaignRecipient[] =>
    message.campaignId === undefined ||
    recorded.has(message.campaignId) ||
    message.key !== campaignMessageKey(message.campaignId)
      ? []
      : [
          {
            campaignId: message.campaignId,
            contactId: message.contactId,
            group: 'treatment',
            ...(message.variant === undefined ? {} : { variant: message.variant }),
            sendAt: message.createdAt,
          },
        ],
  );
  return [...records, ...fromMessages];
};
