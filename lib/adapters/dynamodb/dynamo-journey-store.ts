import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactEventType } from '../../domain/contact-event.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type JourneyDefinition, PublishedJourney } from '../../domain/journey-definition.js';
import type {
  JourneyDraft,
  JourneyStatus,
  JourneyStore,
  JourneySummary,
  JourneyVersionSummary,
} from '../../ports/journey-store.js';
import { mustNotExist, putNew, putOverRevision } from './items.js';
import {
  isTriggeredBy,
  JourneyPointer,
  journeySummary,
  publishedStatus,
  StoredDraft,
  versionSummary,
} from './journey-items.js';
import { draftSpent, nextJourneyDraft, nextJourneyVersion } from './journey-publication.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { setAttributes } from './set-attributes.js';
import { isConditionalCheckFailure, type TransactItem, transactWrite } from './transactions.js';

/** Published versions kept per process before the cache starts over; a deployment has far fewer. */
const cachedVersionsAtMost = 1_000;

export class DynamoJourneyStore implements JourneyStore {
  /**
   * A published version never changes (its status lives on the journey's
   * pointer), so once read it is kept: the journeys consumer reads the
   * versions of every running enrollment and every triggered journey for
   * each record, and they are the same few items each time.
   */
  private readonly versionCache = new Map<string, PublishedJourney>();

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]> {
    const pointers = (await this.pointers()).filter((pointer) => isTriggeredBy(pointer, eventType));
    const journeys = await Promise.all(
      pointers.map((pointer) => this.getVersion(pointer.journeyId, pointer.latestVersion)),
    );
    return journeys.filter((journey) => journey !== undefined);
  }

  async getVersion(journeyId: string, version: number): Promise<PublishedJourney | undefined> {
    const cacheKey = `${journeyId}#${version}`;
    const cached = this.versionCache.get(cacheKey);
    if (cached !== undefined) return cached;
    // Consistent, because the pointer may name a version written a moment ago; missing it would drop the journey.
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.journeyVersion(journeyId, version),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const published = PublishedJourney.parse(Item);
    if (this.versionCache.size >= cachedVersionsAtMost) this.versionCache.clear();
    this.versionCache.set(cacheKey, published);
    return published;
  }

  publish(definition: JourneyDefinition, publishedAt: Date): Promise<PublishedJourney> {
    return this.publishVersion(definition, publishedAt, undefined);
  }

  publishDraft(
    definition: JourneyDefinition,
    revision: number,
    publishedAt: Date,
  ): Promise<PublishedJourney> {
    return this.publishVersion(definition, publishedAt, revision);
  }

  async status(journeyId: string): Promise<JourneyStatus | undefined> {
    const pointer = await this.pointer(journeyId);
    return pointer === undefined ? undefined : publishedStatus(pointer);
  }

  async changeStatus(journeyId: string, from: JourneyStatus, to: JourneyStatus): Promise<void> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.journeyPointer(journeyId),
          UpdateExpression: 'SET #status = :to',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      throw new ConcurrentUpdateError(`journey ${journeyId} is no longer ${from}`);
    }
  }

  async list(): Promise<JourneySummary[]> {
    return Promise.all((await this.pointers()).map((pointer) => this.summarize(pointer)));
  }

  async summary(journeyId: string): Promise<JourneySummary | undefined> {
    const pointer = await this.pointer(journeyId);
    return pointer === undefined ? undefined : this.summarize(pointer);
  }

  async versions(journeyId: string): Promise<JourneyVersionSummary[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ProjectionExpression: '#version, publishedAt, #definition.#name',
      ExpressionAttributeNames: { '#version': 'version', '#definition': 'definition', '#name': 'name' },
      ExpressionAttributeValues: {
        ':pk': keys.journeyVersion(journeyId, 1).PK,
        ':prefix': keys.versionPrefix,
      },
      ConsistentRead: true,
    });
    return items.map(versionSummary);
  }

  async getDraft(journeyId: string): Promise<JourneyDraft | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.journeyDraft(journeyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : StoredDraft.parse(Item);
  }

  async putDraft(definition: JourneyDefinition, updatedAt: Date): Promise<JourneyDraft> {
    const [pointer, previous] = await Promise.all([
      this.pointer(definition.id),
      this.getDraft(definition.id),
    ]);
    const { draft, draftItem, pointerChanges } = nextJourneyDraft(definition, updatedAt, pointer, previous);
    const cancellation = await transactWrite(this.documentClient, [
      putOverRevision(this.tableName, draftItem, previous?.revision),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.journeyPointer(definition.id),
          ...setAttributes(pointerChanges, {
            condition:
              pointer === undefined
                ? { expression: mustNotExist }
                : {
                    expression: '#status = :readStatus',
                    names: { '#status': 'status' },
                    values: { ':readStatus': pointer.status },
                  },
          }),
        },
      },
    ]);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`journey ${definition.id} was changed by someone else meanwhile`);
    }
    return draft;
  }

  private async publishVersion(
    definition: JourneyDefinition,
    publishedAt: Date,
    draftRevision: number | undefined,
  ): Promise<PublishedJourney> {
    const pointer = await this.pointer(definition.id);
    const latest =
      pointer === undefined || pointer.latestVersion === 0
        ? undefined
        : await this.getVersion(definition.id, pointer.latestVersion);
    const publication = nextJourneyVersion(pointer, latest, definition, publishedAt, draftRevision);
    if (publication.outcome === 'unchanged') {
      if (draftRevision !== undefined) await this.dropDraft(definition.id, draftRevision);
      return publication.journey;
    }
    const { pointer: pointerWrite } = publication;
    const items: TransactItem[] = [
      putNew(this.tableName, publication.versionItem),
      'create' in pointerWrite
        ? putNew(this.tableName, pointerWrite.create)
        : {
            Update: {
              TableName: this.tableName,
              Key: keys.journeyPointer(definition.id),
              ...setAttributes(pointerWrite.changes, {
                condition: {
                  expression: 'latestVersion = :read AND #status = :readStatus',
                  names: { '#status': 'status' },
                  values: {
                    ':read': pointerWrite.read.latestVersion,
                    ':readStatus': pointerWrite.read.status,
                  },
                },
              }),
            },
          },
    ];
    if (draftRevision !== undefined) items.push(this.deleteDraft(definition.id, draftRevision));
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`journey ${definition.id} was changed by someone else meanwhile`);
    }
    return publication.journey;
  }

  /** Publishing a draft identical to the latest version makes no version, but the draft is spent all the same. */
  private async dropDraft(journeyId: string, revision: number): Promise<void> {
    const cancellation = await transactWrite(this.documentClient, [
      this.deleteDraft(journeyId, revision),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.journeyPointer(journeyId),
          ...setAttributes(draftSpent),
        },
      },
    ]);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`the draft of journey ${journeyId} was saved again meanwhile`);
    }
  }

  private deleteDraft(journeyId: string, revision: number): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: keys.journeyDraft(journeyId),
        ConditionExpression: 'revision = :revision',
        ExpressionAttributeValues: { ':revision': revision },
      },
    };
  }

  private async summarize(pointer: JourneyPointer): Promise<JourneySummary> {
    const latestName =
      pointer.name === undefined
        ? (await this.getVersion(pointer.journeyId, pointer.latestVersion))?.definition.name
        : undefined;
    return journeySummary(pointer, latestName);
  }

  private async pointers(): Promise<JourneyPointer[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.journeyPointerPartition },
    });
    return items.map((item) => JourneyPointer.parse(item));
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
