import type { ContactEventType } from '../domain/contact-event.js';
import { ConflictError } from '../domain/errors.js';
import type { JourneyDraft, JourneyVersionSummary } from '../domain/journey-answers.js';
import type { JourneyDefinition, PublishedJourney } from '../domain/journey-definition.js';
import type { JourneySummary } from '../domain/journey-summary.js';

export type { JourneyDraft, JourneySummary, JourneyVersionSummary };

/** What the journey pointer says about a published journey: only `active` ones take new entries. */
export type JourneyStatus = PublishedJourney['status'];

/** The journey is archived: it takes no drafts, versions or status changes any more. */
export class JourneyArchivedError extends ConflictError {
  override readonly name: string = 'JourneyArchivedError';
}

export interface JourneyStore {
  /** The latest version of every active journey whose trigger is this event type. */
  activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]>;
  getVersion(journeyId: string, version: number): Promise<PublishedJourney | undefined>;
  /**
   * Stores the definition as the next immutable version and makes it the one new
   * entries use. Publishing a definition identical to the latest version is a no-op
   * that returns that version. A paused journey stays paused; a changed definition
   * of an archived journey is refused with JourneyArchivedError.
   */
  publish(definition: JourneyDefinition, publishedAt: Date): Promise<PublishedJourney>;
  /**
   * Publishes the draft (already validated by the caller at `revision`) the same way
   * and removes it. ConcurrentUpdateError if the draft was saved again or another
   * version was published meanwhile.
   */
  publishDraft(definition: JourneyDefinition, revision: number, publishedAt: Date): Promise<PublishedJourney>;
  /**
   * The status of a published journey; undefined when nothing was published yet.
   * The journeys runtime ends running enrollments of an `archived` journey.
   */
  status(journeyId: string): Promise<JourneyStatus | undefined>;
  /** Moves the pointer from `from` to `to`; ConcurrentUpdateError if it is no longer `from`. */
  changeStatus(journeyId: string, from: JourneyStatus, to: JourneyStatus): Promise<void>;
  list(): Promise<JourneySummary[]>;
  summary(journeyId: string): Promise<JourneySummary | undefined>;
  versions(journeyId: string): Promise<JourneyVersionSummary[]>;
  getDraft(journeyId: string): Promise<JourneyDraft | undefined>;
  /** Creates or replaces the draft. JourneyArchivedError for an archived journey. */
  putDraft(definition: JourneyDefinition, updatedAt: Date): Promise<JourneyDraft>;
}
