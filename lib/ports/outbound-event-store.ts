import type { OutboundEvent } from '../domain/outbound-event.js';

/** `not-pending`: it was already published (by a concurrent invocation) or is gone. */
export type MarkPublishedResult = 'marked' | 'not-pending';

/** The outbox of events journeys emit; the journeys' transaction writes them, publishing moves them on. */
export interface OutboundEventStore {
  /** Read consistently: a replayed stream record must see a publish that just finished. */
  get(contactId: string, id: string): Promise<OutboundEvent | undefined>;
  /** pending → published, as one conditional write. */
  markPublished(
    contactId: string,
    id: string,
    publication: { publishedAt: Date; providerEventId: string },
  ): Promise<MarkPublishedResult>;
}
