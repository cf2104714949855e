import type { ContactEventType } from '../domain/contact-event.js';
import type { JourneyDefinition, PublishedJourney } from '../domain/journey-definition.js';

export interface JourneyStore {
  /** The latest version of every active journey whose trigger is this event type. */
  activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]>;
  getVersion(journeyId: string, version: number): Promise<PublishedJourney | undefined>;
  /**
   * Stores the definition as the next immutable version and makes it the one new
   * entries use. Publishing a definition identical to the latest version is a no-op
   * that returns that version.
   */
  publish(definition: JourneyDefinition, publishedAt: Date): Promise<PublishedJourney>;
}
