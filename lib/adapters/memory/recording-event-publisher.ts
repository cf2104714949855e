import { EventTooLargeError } from '../../domain/errors.js';
import type { EventPublisher, EventToPublish } from '../../ports/event-publisher.js';
import { entrySizeBytes, maxEntryBytes } from '../eventbridge/entry-size.js';

export interface PublishedEvent {
  event: EventToPublish;
  providerEventId: string;
}

/**
 * An event bus that keeps what is put on it. It refuses what EventBridge refuses
 * before the call (an entry over 256 KB, counted as EventBridge counts it);
 * `failNext` makes the next puts throw (an EventEntryFailedError, say).
 */
export class RecordingEventPublisher implements EventPublisher {
  private readonly published: PublishedEvent[] = [];
  private readonly failures: Error[] = [];

  async publish(event: EventToPublish): Promise<{ providerEventId: string }> {
    const size = entrySizeBytes({
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: event.time,
    });
    if (size > maxEntryBytes) throw new EventTooLargeError(size, maxEntryBytes);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const providerEventId = `event-${String(this.published.length + 1).padStart(6, '0')}`;
    this.published.push({ event: structuredClone(event), providerEventId });
    return { providerEventId };
  }

  events(): PublishedEvent[] {
    return structuredClone(this.published);
  }

  failNext(error: Error, times = 1): void {
    for (let time = 0; time < times; time += 1) this.failures.push(error);
  }
}
