import type { OutboundEvent } from '../domain/outbound-event.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher, EventToPublish } from '../ports/event-publisher.js';
import type { OutboundEventStore } from '../ports/outbound-event-store.js';

export interface PublishOutboundEventDeps {
  events: OutboundEventStore;
  publisher: EventPublisher;
  clock: Clock;
}

export type PublishOutcome =
  | { outcome: 'published'; providerEventId: string }
  /** Already published by an earlier delivery of the same record: nothing was put again. */
  | { outcome: 'duplicate' }
  /**
   * Put on the bus, but another invocation had published and recorded it meanwhile:
   * consumers receive it twice and drop the second by its `eventId`.
   */
  | { outcome: 'published-again'; providerEventId: string }
  | { outcome: 'missing' };

/** What consumers receive: the emitted detail plus the event's id, which wins over a detail field of that name. */
export const busEventOf = (event: OutboundEvent): EventToPublish => ({
  source: event.source,
  detailType: event.detailType,
  detail: { ...event.detail, eventId: event.id },
  time: new Date(event.createdAt),
});

/**
 * Hands one emitted event to the event bus, then records it published with a
 * conditional write (pending → published). A replayed record reads it published
 * and puts nothing. EventBridge takes no idempotency token, so a crash between
 * the put and the write publishes it again on the retry: delivery is at least
 * once, and consumers dedupe on `detail.eventId` (docs/architecture.md).
 */
export const publishOutboundEvent = async (
  deps: PublishOutboundEventDeps,
  ref: { contactId: string; id: string },
): Promise<PublishOutcome> => {
  const event = await deps.events.get(ref.contactId, ref.id);
  if (event === undefined) return { outcome: 'missing' };
  if (event.status === 'published') return { outcome: 'duplicate' };
  const { providerEventId } = await deps.publisher.publish(busEventOf(event));
  const marked = await deps.events.markPublished(ref.contactId, ref.id, {
    publishedAt: deps.clock.now(),
    providerEventId,
  });
  return marked === 'marked'
    ? { outcome: 'published', providerEventId }
    : { outcome: 'published-again', providerEventId };
};
