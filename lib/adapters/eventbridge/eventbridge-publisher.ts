import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventEntryFailedError, EventTooLargeError } from '../../domain/errors.js';
import type { EventPublisher, EventToPublish } from '../../ports/event-publisher.js';

export interface EventBridgePublisherOptions {
  region: string;
  /** Set for the local EventBridge endpoint; absent in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The bus's name or ARN. */
  eventBusName: string;
}

/** EventBridge's ceiling for one PutEvents entry: 256 KB. */
export const maxEntryBytes = 256 * 1024;

/** EventBridge answered without saying what became of the entry. */
export class EventBridgeResponseError extends Error {
  override readonly name = 'EventBridgeResponseError';
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * An entry's size as EventBridge counts it against the limit ("Calculating PutEvents
 * event entry size"): 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType,
 * Detail and each resource. Counted here so a too-large event is refused before the call.
 */
export const entrySizeBytes = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source ?? '') +
  utf8Bytes(entry.DetailType ?? '') +
  utf8Bytes(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8Bytes(resource), 0);

export class EventBridgePublisher implements EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;

  constructor(options: EventBridgePublisherOptions) {
    this.client = new EventBridgeClient({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Throttling of the call is retried here with backoff; a throttled entry is not (it comes back as a failed entry).
      maxAttempts: 5,
      retryMode: 'adaptive',
    });
    this.eventBusName = options.eventBusName;
  }

  async publish(event: EventToPublish): Promise<{ providerEventId: string }> {
    const entry: PutEventsRequestEntry = {
      EventBusName: this.eventBusName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: event.time,
    };
    const size = entrySizeBytes(entry);
    if (size > maxEntryBytes) throw new EventTooLargeError(size, maxEntryBytes);

    // The call succeeds even when the entry is refused: the refusal is in the answer.
    const { Entries, FailedEntryCount } = await this.client.send(new PutEventsCommand({ Entries: [entry] }));
    const [result] = Entries ?? [];
    if ((FailedEntryCount ?? 0) > 0 || result?.ErrorCode !== undefined) {
      throw new EventEntryFailedError(
        result?.ErrorCode ?? 'Unknown',
        result?.ErrorMessage ?? 'EventBridge gave no reason',
      );
    }
    if (result?.EventId === undefined)
      throw new EventBridgeResponseError('EventBridge accepted the event but returned no EventId');
    return { providerEventId: result.EventId };
  }
}
