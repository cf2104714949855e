import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventEntryFailedError, EventTooLargeError } from '../../domain/errors.js';
import type { EventPublisher, EventToPublish } from '../../ports/event-publisher.js';
import { entrySizeBytes, maxEntryBytes } from './entry-size.js';

export interface EventBridgePublisherOptions {
  region: string;
  /** Set for the local EventBridge endpoint; absent in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The bus's name or ARN. */
  eventBusName: string;
}

export { entrySizeBytes, maxEntryBytes } from './entry-size.js';

/** EventBridge answered without saying what became of the entry. */
export class EventBridgeResponseError extends Error {
  override readonly name = 'EventBridgeResponseError';
}

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
