import { z } from 'zod';
import { ContactEventType } from './contact-event.js';
import { PublishedJourney } from './journey-definition.js';

/** A journey as the list shows it (`GET /admin/journeys`). */
export const JourneySummary = z.object({
  journeyId: z.string(),
  name: z.string(),
  /** `draft-only` until the first version is published. */
  status: z.union([PublishedJourney.shape.status, z.literal('draft-only')]),
  /** 0 until the first version is published. */
  latestVersion: z.number().int().min(0),
  /** The trigger of the latest version, or of the draft while there is none. */
  triggerEvent: ContactEventType.optional(),
  hasDraft: z.boolean(),
});
export type JourneySummary = z.infer<typeof JourneySummary>;

export const JourneyList = z.object({ journeys: z.array(JourneySummary) });
export type JourneyList = z.infer<typeof JourneyList>;
