import { OutboundEvent } from '../../domain/outbound-event.js';
import type { MarkPublishedResult, OutboundEventStore } from '../../ports/outbound-event-store.js';
import { keys } from '../dynamodb/keys.js';
import { attributeIs, type MemoryTable } from './memory-table.js';

/** The `OUT#` items the enrollment transactions write, read and settled as DynamoOutboundEventStore does. */
export class MemoryOutboundEventStore implements OutboundEventStore {
  constructor(private readonly table: MemoryTable) {}

  async get(contactId: string, id: string): Promise<OutboundEvent | undefined> {
    const item = await this.table.get(keys.outboundEvent(contactId, id));
    return item === undefined ? undefined : OutboundEvent.parse(item);
  }

  async markPublished(
    contactId: string,
    id: string,
    publication: { publishedAt: Date; providerEventId: string },
  ): Promise<MarkPublishedResult> {
    const outcome = await this.table.write({
      update: keys.outboundEvent(contactId, id),
      apply: (current) => ({
        ...current,
        status: 'published',
        publishedAt: publication.publishedAt.toISOString(),
        providerEventId: publication.providerEventId,
      }),
      condition: attributeIs('status', 'pending'),
    });
    return outcome.written ? 'marked' : 'not-pending';
  }
}
