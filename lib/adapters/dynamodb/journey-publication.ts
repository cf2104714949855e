import {
  type JourneyDefinition,
  type PublishedJourney,
  triggerEventType,
} from '../../domain/journey-definition.js';
import { JourneyArchivedError, type JourneyDraft } from '../../ports/journey-store.js';
import type { ItemType } from './items.js';
import { asStored, type JourneyPointer, publishedStatus } from './journey-items.js';
import { keys } from './keys.js';
import { sameContent } from './same-content.js';

/**
 * Saving a draft, decided from the pointer and the draft read: the draft (its
 * revision counts the saves) and what the pointer takes. Both stores write the
 * draft over the revision read and the pointer over the status read.
 */
export const nextJourneyDraft = (
  definition: JourneyDefinition,
  updatedAt: Date,
  pointer: JourneyPointer | undefined,
  previous: JourneyDraft | undefined,
) => {
  if (pointer?.status === 'archived') {
    throw new JourneyArchivedError(`journey ${definition.id} is archived; it takes no new drafts`);
  }
  const draft: JourneyDraft = {
    journeyId: definition.id,
    definition: asStored(definition),
    revision: (previous?.revision ?? 0) + 1,
    updatedAt: updatedAt.toISOString(),
  };
  // While nothing is published the draft is all there is to list, so it describes the journey.
  const describesJourney = pointer === undefined || pointer.status === 'draft-only';
  return {
    draft,
    draftItem: { ...keys.journeyDraft(definition.id), type: 'journey-draft' satisfies ItemType, ...draft },
    pointerChanges: describesJourney
      ? {
          hasDraft: true,
          journeyId: definition.id,
          type: 'journey-pointer' satisfies ItemType,
          latestVersion: 0,
          status: 'draft-only',
          name: definition.name,
          triggerEvent: triggerEventType(definition.trigger),
        }
      : { hasDraft: true },
  };
};

/** What publishing leaves the pointer saying once a draft is spent without a new version. */
export const draftSpent = { hasDraft: false };

export type JourneyPublication =
  /** Identical to the latest version: no new version; a draft published is spent all the same. */
  | { outcome: 'unchanged'; journey: PublishedJourney }
  | {
      outcome: 'new-version';
      journey: PublishedJourney;
      /** Created only if absent: two publishers cannot both write the same version. */
      versionItem: Record<string, unknown> & { PK: string; SK: string };
      /** The first pointer (created only if absent) when none was read, else what it takes over the one read. */
      pointer:
        | { create: Record<string, unknown> & { PK: string; SK: string } }
        | { changes: Record<string, unknown>; read: JourneyPointer };
    };

/**
 * Publishing a definition, decided from the pointer and the latest version read
 * (`draftRevision` set when a draft is published, which the pointer then no
 * longer has). An archived journey takes no new version; a paused one stays
 * paused, since publishing a fix must not reopen entries.
 */
export const nextJourneyVersion = (
  pointer: JourneyPointer | undefined,
  latest: PublishedJourney | undefined,
  definition: JourneyDefinition,
  publishedAt: Date,
  draftRevision: number | undefined,
): JourneyPublication => {
  if (pointer !== undefined && latest !== undefined && sameContent(latest.definition, definition)) {
    return {
      outcome: 'unchanged',
      journey: { ...latest, status: publishedStatus(pointer) ?? latest.status },
    };
  }
  if (pointer?.status === 'archived') {
    throw new JourneyArchivedError(`journey ${definition.id} is archived; it takes no new versions`);
  }
  const journey: PublishedJourney = {
    definition,
    version: (pointer?.latestVersion ?? 0) + 1,
    status: pointer?.status === 'paused' ? 'paused' : 'active',
    publishedAt: publishedAt.toISOString(),
  };
  const changes = {
    latestVersion: journey.version,
    status: journey.status,
    name: definition.name,
    triggerEvent: triggerEventType(definition.trigger),
  };
  return {
    outcome: 'new-version',
    journey,
    versionItem: {
      ...keys.journeyVersion(definition.id, journey.version),
      type: 'journey-version' satisfies ItemType,
      ...journey,
    },
    pointer:
      pointer === undefined
        ? {
            create: {
              ...keys.journeyPointer(definition.id),
              type: 'journey-pointer' satisfies ItemType,
              journeyId: definition.id,
              ...changes,
              hasDraft: false,
            } satisfies JourneyPointer & { type: ItemType; PK: string; SK: string },
          }
        : { changes: draftRevision === undefined ? changes : { ...changes, ...draftSpent }, read: pointer },
  };
};
