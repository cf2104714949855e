import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ContactEventType } from '../../domain/contact-event.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type JourneyDefinition, PublishedJourney } from '../../domain/journey-definition.js';
import type { JourneyStore } from '../../ports/journey-store.js';
import { type ItemType, mustNotExist, putNew } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { sameContent } from './same-content.js';
import { transactWrite } from './transactions.js';

/** One per journey in the JOURNEYS partition: enough to pick the journeys an event triggers without reading them. */
const JourneyPointer = z.object({
  journeyId: z.string().min(1),
  latestVersion: z.number().int().min(1),
  status: PublishedJourney.shape.status,
  triggerEvent: ContactEventType,
});
type JourneyPointer = z.infer<typeof JourneyPointer>;

export class DynamoJourneyStore implements JourneyStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.journeyPointerPartition },
    });
    const pointers = items
      .map((item) => JourneyPointer.parse(item))
      .filter((pointer) => pointer.status === 'active' && pointer.triggerEvent === eventType);
    const journeys = await Promise.all(
      pointers.map((pointer) => this.getVersion(pointer.journeyId, pointer.latestVersion)),
    );
    return journeys.filter((journey) => journey !== undefined);
  }

  async getVersion(journeyId: string, version: number): Promise<PublishedJourney | undefined> {
    // Consistent, because the pointer may name a version written a moment ago; missing it would drop the journey.
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.journeyVersion(journeyId, version),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : PublishedJourney.parse(Item);
  }

  async publish(definition: JourneyDefinition, publishedAt: Date): Promise<PublishedJourney> {
    const pointer = await this.pointer(definition.id);
    if (pointer !== undefined) {
      const latest = await this.getVersion(definition.id, pointer.latestVersion);
      if (latest !== undefined && sameContent(latest.definition, definition)) return latest;
    }
    const published: PublishedJourney = {
      definition,
      version: (pointer?.latestVersion ?? 0) + 1,
      status: 'active',
      publishedAt: publishedAt.toISOString(),
    };
    const nextPointer: JourneyPointer = {
      journeyId: definition.id,
      latestVersion: published.version,
      status: published.status,
      triggerEvent: definition.trigger.event,
    };
    const cancellation = await transactWrite(this.documentClient, [
      putNew(this.tableName, {
        ...keys.journeyVersion(definition.id, published.version),
        type: 'journey-version' satisfies ItemType,
        ...published,
      }),
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.journeyPointer(definition.id),
            type: 'journey-pointer' satisfies ItemType,
            ...nextPointer,
          },
          ...(pointer === undefined
            ? { ConditionExpression: mustNotExist }
            : {
                ConditionExpression: 'latestVersion = :read',
                ExpressionAttributeValues: { ':read': pointer.latestVersion },
              }),
        },
      },
    ]);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`journey ${definition.id} was published by someone else meanwhile`);
    }
    return published;
  }

  private async pointer(journeyId: string): Promise<JourneyPointer | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.journeyPointer(journeyId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : JourneyPointer.parse(Item);
  }
}
