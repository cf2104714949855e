import { isDateTrigger, type PublishedJourney } from '../domain/journey-definition.js';
import { type JourneyJob, type JourneyJobKind, productJobSubject } from '../domain/journey-job.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { JourneyJobStore } from '../ports/journey-job-store.js';

export interface EnqueueJobDeps {
  jobs: JourneyJobStore;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * Files background work under its subject (a journey id, or `product:<sku>`);
 * the journey-jobs schedule picks it up within a minute.
 */
export const enqueueJob = async (
  deps: EnqueueJobDeps,
  subject: string,
  work: JourneyJobKind,
): Promise<JourneyJob> => {
  const at = deps.clock.now().toISOString();
  const job: JourneyJob = {
    id: deps.ids.next(),
    subject,
    work,
    status: 'pending',
    cursor: { shard: 0 },
    counts: { seen: 0, changed: 0, unchanged: 0 },
    createdAt: at,
    updatedAt: at,
    revision: 1,
  };
  await deps.jobs.create(job);
  return job;
};

/** Work on a journey's enrollments or on every contact for a journey. */
export const enqueueJourneyJob = (
  deps: EnqueueJobDeps,
  journeyId: string,
  work: Exclude<JourneyJobKind, { kind: 'product-fan-out' }>,
): Promise<JourneyJob> => enqueueJob(deps, journeyId, work);

/** A product launch: every contact who buys in its category (or a level above it) gets one `product_published` event. */
export const enqueueProductFanOut = (
  deps: EnqueueJobDeps,
  product: { sku: string; category: string },
): Promise<JourneyJob> =>
  enqueueJob(deps, productJobSubject(product.sku), {
    kind: 'product-fan-out',
    sku: product.sku,
    category: product.category,
  });

/**
 * Contacts that exist already get their date-trigger timers from a backfill;
 * new and changed contacts get theirs from their events. Only for an active
 * version with a date trigger: a paused journey is backfilled when resumed.
 */
export const backfillDateTrigger = async (
  deps: EnqueueJobDeps,
  journey: PublishedJourney,
): Promise<JourneyJob | undefined> =>
  journey.status === 'active' && isDateTrigger(journey.definition.trigger)
    ? enqueueJourneyJob(deps, journey.definition.id, { kind: 'date-backfill', version: journey.version })
    : undefined;
