import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ContactEventType } from '../../domain/contact-event.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import {
  type JourneyDefinition,
  PublishedJourney,
  triggerEventType,
} from '../../domain/journey-definition.js';
import {
  JourneyArchivedError,
  type JourneyDraft,
  type JourneyStatus,
  type JourneyStore,
  type JourneySummary,
  type JourneyVersionSummary,
} from '../../ports/journey-store.js';
import { type ItemType, putNew, putOverRevision } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { sameContent } from './same-content.js';
import { isConditionalCheckFailure, type TransactItem, transactWrite } from './transactions.js';

/**
 * One per journey in the JOURNEYS partition: enough to pick the journeys an event
 * triggers without reading them, and to list journeys for the admin API. A journey
 * that has only a draft has `latestVersion` 0 and status `draft-only`, which
 * `activeForTrigger` never picks.
 */
const JourneyPointer = z.object({
  journeyId: z.string().min(1),
  // Pointers written before drafts existed carry no name and no hasDraft.
  name: z.string().optional(),
  latestVersion: z.number().int().min(0),
  status: z.union([PublishedJourney.shape.status, z.literal('draft-only')]),
  triggerEvent: ContactEventType.optional(),
  hasDraft: z.boolean().default(false),
});
type JourneyPointer = z.infer<typeof JourneyPointer>;

const StoredDraft = z.object({
  journeyId: z.string().min(1),
  definition: z.record(z.string(), z.unknown()),
  revision: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
});

const VersionListing = z.object({
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
  definition: z.object({ name: z.string() }),
});

/** What DynamoDB stores for a value: undefined attributes dropped, as the document client would refuse them. */
const asStored = (definition: JourneyDefinition): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(definition)));

const publishedStatus = (pointer: JourneyPointer): JourneyStatus | undefined =>
  pointer.status === 'draft-only' ? undefined : pointer.status;

export class DynamoJourneyStore implements JourneyStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]> {
    const pointers = (await this.pointers()).filter(
      (pointer) => pointer.status === 'active' && pointer.triggerEvent === eventType,
    );
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
    return items
      .map((item) => VersionListing.parse(item))
      .map(({ version, publishedAt, definition }) => ({ version, publishedAt, name: definition.name }));
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
    if (pointer?.status === 'archived') {
      throw new JourneyArchivedError(`journey ${definition.id} is archived; it takes no new drafts`);
    }
    const draft: JourneyDraft = {
      journeyId: definition.id,
      definition: asStored(definition),
      revision: (previous?.revision ?? 0) + 1,
      updatedAt: updatedAt.toISOString(),
    };
    // While nothing is published the draft is all there is to list, so it names the journey.
    const describesJourney = pointer === undefined || pointer.status === 'draft-only';
    const cancellation = await transactWrite(this.documentClient, [
      putOverRevision(
        this.tableName,
        { ...keys.journeyDraft(definition.id), type: 'journey-draft' satisfies ItemType, ...draft },
        previous?.revision,
      ),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.journeyPointer(definition.id),
          UpdateExpression: describesJourney
            ? 'SET hasDraft = :true, journeyId = :id, #type = :type, latestVersion = :zero, #status = :draftOnly, #name = :name, triggerEvent = :trigger'
            : 'SET hasDraft = :true',
          ConditionExpression: pointer === undefined ? 'attribute_not_exists(PK)' : '#status = :readStatus',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(describesJourney ? { '#type': 'type', '#name': 'name' } : {}),
          },
          ExpressionAttributeValues: {
            ':true': true,
            ...(pointer === undefined ? {} : { ':readStatus': pointer.status }),
            ...(describesJourney
              ? {
                  ':id': definition.id,
                  ':type': 'journey-pointer' satisfies ItemType,
                  ':zero': 0,
                  ':draftOnly': 'draft-only',
                  ':name': definition.name,
                  ':trigger': triggerEventType(definition.trigger),
                }
              : {}),
          },
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
    if (pointer !== undefined && latest !== undefined && sameContent(latest.definition, definition)) {
      if (draftRevision !== undefined) await this.dropDraft(definition.id, draftRevision);
      return { ...latest, status: publishedStatus(pointer) ?? latest.status };
    }
    if (pointer?.status === 'archived') {
      throw new JourneyArchivedError(`journey ${definition.id} is archived; it takes no new versions`);
    }
    const published: PublishedJourney = {
      definition,
      version: (pointer?.latestVersion ?? 0) + 1,
      // A paused journey stays paused: publishing a fix must not reopen entries.
      status: pointer?.status === 'paused' ? 'paused' : 'active',
      publishedAt: publishedAt.toISOString(),
    };
    const items: TransactItem[] = [
      putNew(this.tableName, {
        ...keys.journeyVersion(definition.id, published.version),
        type: 'journey-version' satisfies ItemType,
        ...published,
      }),
      pointer === undefined
        ? putNew(this.tableName, {
            ...keys.journeyPointer(definition.id),
            type: 'journey-pointer' satisfies ItemType,
            journeyId: definition.id,
            name: definition.name,
            latestVersion: published.version,
            status: published.status,
            triggerEvent: triggerEventType(definition.trigger),
            hasDraft: false,
          } satisfies JourneyPointer & { type: ItemType; PK: string; SK: string })
        : {
            Update: {
              TableName: this.tableName,
              Key: keys.journeyPointer(definition.id),
              UpdateExpression: `SET latestVersion = :version, #status = :status, #name = :name, triggerEvent = :trigger${
                draftRevision === undefined ? '' : ', hasDraft = :false'
              }`,
              ConditionExpression: 'latestVersion = :read AND #status = :readStatus',
              ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
              ExpressionAttributeValues: {
                ':version': published.version,
                ':status': published.status,
                ':name': definition.name,
                ':trigger': triggerEventType(definition.trigger),
                ':read': pointer.latestVersion,
                ':readStatus': pointer.status,
                ...(draftRevision === undefined ? {} : { ':false': false }),
              },
            },
          },
    ];
    if (draftRevision !== undefined) items.push(this.deleteDraft(definition.id, draftRevision));
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`journey ${definition.id} was changed by someone else meanwhile`);
    }
    return published;
  }

  /** Publishing a draft identical to the latest version makes no version, but the draft is spent all the same. */
  private async dropDraft(journeyId: string, revision: number): Promise<void> {
    const cancellation = await transactWrite(this.documentClient, [
      this.deleteDraft(journeyId, revision),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.journeyPointer(journeyId),
          UpdateExpression: 'SET hasDraft = :false',
          ExpressionAttributeValues: { ':false': false },
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
    const name =
      pointer.name ??
      (await this.getVersion(pointer.journeyId, pointer.latestVersion))?.definition.name ??
      pointer.journeyId;
    return {
      journeyId: pointer.journeyId,
      name,
      status: pointer.status,
      latestVersion: pointer.latestVersion,
      triggerEvent: pointer.triggerEvent,
      hasDraft: pointer.hasDraft,
    };
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
