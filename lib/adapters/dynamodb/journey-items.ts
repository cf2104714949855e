import { z } from 'zod';
import { ContactEventType } from '../../domain/contact-event.js';
import { type JourneyDefinition, PublishedJourney } from '../../domain/journey-definition.js';
import type { JourneyStatus, JourneySummary, JourneyVersionSummary } from '../../ports/journey-store.js';

/**
 * One per journey in the JOURNEYS partition: enough to pick the journeys an event
 * triggers without reading them, and to list journeys for the admin API. A journey
 * that has only a draft has `latestVersion` 0 and status `draft-only`, which
 * `activeForTrigger` never picks.
 */
export const JourneyPointer = z.object({
  journeyId: z.string().min(1),
  // Pointers written before drafts existed carry no name and no hasDraft.
  name: z.string().optional(),
  latestVersion: z.number().int().min(0),
  status: z.union([PublishedJourney.shape.status, z.literal('draft-only')]),
  triggerEvent: ContactEventType.optional(),
  hasDraft: z.boolean().default(false),
});
export type JourneyPointer = z.infer<typeof JourneyPointer>;

export const StoredDraft = z.object({
  journeyId: z.string().min(1),
  definition: z.record(z.string(), z.unknown()),
  revision: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
});

export const VersionListing = z.object({
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
  definition: z.object({ name: z.string() }),
});

/** A version as the admin API lists it, from what the versions query projects. */
export const versionSummary = (item: Record<string, unknown>): JourneyVersionSummary => {
  const { version, publishedAt, definition } = VersionListing.parse(item);
  return { version, publishedAt, name: definition.name };
};

/** Picked by an event: only an active journey takes new entries, and only for its own trigger. */
export const isTriggeredBy = (pointer: JourneyPointer, eventType: ContactEventType): boolean =>
  pointer.status === 'active' && pointer.triggerEvent === eventType;

/**
 * A journey as the admin API lists it. A pointer written before drafts existed
 * carries no name: then the latest version's (`latestName`, read only for those) names it.
 */
export const journeySummary = (pointer: JourneyPointer, latestName: string | undefined): JourneySummary => ({
  journeyId: pointer.journeyId,
  name: pointer.name ?? latestName ?? pointer.journeyId,
  status: pointer.status,
  latestVersion: pointer.latestVersion,
  triggerEvent: pointer.triggerEvent,
  hasDraft: pointer.hasDraft,
});

/** What DynamoDB stores for a value: undefined attributes dropped, as the document client would refuse them. */
export const asStored = (definition: JourneyDefinition): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(definition)));

export const publishedStatus = (pointer: JourneyPointer): JourneyStatus | undefined =>
  pointer.status === 'draft-only' ? undefined : pointer.status;
