import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { OutboundEvent } from '../../domain/outbound-event.js';
import type { MarkPublishedResult, OutboundEventStore } from '../../ports/outbound-event-store.js';
import { keys } from './keys.js';
import { isConditionalCheckFailure } from './transactions.js';

/** Reads and settles the `OUT#` items the journeys' transactions write (see items.ts, outboundEventItem). */
export class DynamoOutboundEventStore implements OutboundEventStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(contactId: string, id: string): Promise<OutboundEvent | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.outboundEvent(contactId, id),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : OutboundEvent.parse(Item);
  }

  async markPublished(
    contactId: string,
    id: string,
    publication: { publishedAt: Date; providerEventId: string },
  ): Promise<MarkPublishedResult> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outboundEvent(contactId, id),
          UpdateExpression: 'SET #status = :published, publishedAt = :at, providerEventId = :providerEventId',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':published': 'published',
            ':at': publication.publishedAt.toISOString(),
            ':providerEventId': publication.providerEventId,
          },
        }),
      );
      return 'marked';
    } catch (error) {
      if (isConditionalCheckFailure(error)) return 'not-pending';
      throw error;
    }
  }
}
