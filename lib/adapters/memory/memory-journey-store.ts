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
import {
  isTriggeredBy,
  JourneyPointer,
  journeySummary,
  publishedStatus,
  StoredDraft,
  versionSummary,
} from '../dynamodb/journey-items.js';
import { draftSpent, nextJourneyDraft, nextJourneyVersion } from '../dynamodb/journey-publication.js';
import { keys } from '../dynamodb/keys.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

/** Journeys, their versions, drafts and pointers on the memory table, as DynamoJourneyStore keeps them. */
export class MemoryJourneyStore implements JourneyStore {
  constructor(private readonly table: MemoryTable) {}

  async activeForTrigger(eventType: ContactEventType): Promise<PublishedJourney[]> {
    const pointers = (await this.pointers()).filter((pointer) => isTriggeredBy(pointer, eventType));
    const journeys = await Promise.all(
      pointers.map((pointer) => this.getVersion(pointer.journeyId, pointer.latestVersion)),
    );
    return journeys.filter((journey) => journey !== undefined);
  }

  async getVersion(journeyId: string, version: number): Promise<PublishedJourney | undefined> {
    const item = await this.table.get(keys.journeyVersion(journeyId, version));
    return item === undefined ? undefined : PublishedJourney.parse(item);
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
    const outcome = await this.table.write({
      update: keys.journeyPointer(journeyId),
      apply: (current) => ({ ...current, status: to }),
      condition: attributeIs('status', from),
    });
    if (!outcome.written) throw new ConcurrentUpdateError(`journey ${journeyId} is no longer ${from}`);
  }

  async list(): Promise<JourneySummary[]> {
    return Promise.all((await this.pointers()).map((pointer) => this.summarize(pointer)));
  }

  async summary(journeyId: string): Promise<JourneySummary | undefined> {
    const pointer = await this.pointer(journeyId);
    return pointer === undefined ? undefined : this.summarize(pointer);
  }

  async versions(journeyId: string): Promise<JourneyVersionSummary[]> {
    const items = await this.table.queryAll(keys.journeyVersion(journeyId, 1).PK, {
      prefix: keys.versionPrefix,
    });
    return items.map(versionSummary);
  }

  async getDraft(journeyId: string): Promise<JourneyDraft | undefined> {
    const item = await this.table.get(keys.journeyDraft(journeyId));
    return item === undefined ? undefined : StoredDraft.parse(item);
  }

  async putDraft(definition: JourneyDefinition, updatedAt: Date): Promise<JourneyDraft> {
    const [pointer, previous] = await Promise.all([
      this.pointer(definition.id),
      this.getDraft(definition.id),
    ]);
    const { draft, draftItem, pointerChanges } = nextJourneyDraft(definition, updatedAt, pointer, previous);
    const cancellation = await this.table.transact([
      {
        put: draftItem,
        condition: previous === undefined ? itemAbsent : attributeIs('revision', previous.revision),
      },
      {
        update: keys.journeyPointer(definition.id),
        apply: (current) => ({ ...current, ...pointerChanges }),
        condition: pointer === undefined ? itemAbsent : attributeIs('status', pointer.status),
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
    const writes: TableWrite[] = [
      { put: publication.versionItem, condition: itemAbsent },
      'create' in pointerWrite
        ? { put: pointerWrite.create, condition: itemAbsent }
        : {
            update: keys.journeyPointer(definition.id),
            apply: (current) => ({ ...current, ...pointerWrite.changes }),
            condition: (current) =>
              current !== undefined &&
              current.latestVersion === pointerWrite.read.latestVersion &&
              current.status === pointerWrite.read.status,
          },
    ];
    if (draftRevision !== undefined) writes.push(this.deleteDraft(definition.id, draftRevision));
    const cancellation = await this.table.transact(writes);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`journey ${definition.id} was changed by someone else meanwhile`);
    }
    return publication.journey;
  }

  /** Publishing a draft identical to the latest version makes no version, but the draft is spent all the same. */
  private async dropDraft(journeyId: string, revision: number): Promise<void> {
    const cancellation = await this.table.transact([
      this.deleteDraft(journeyId, revision),
      { update: keys.journeyPointer(journeyId), apply: (current) => ({ ...current, ...draftSpent }) },
    ]);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(`the draft of journey ${journeyId} was saved again meanwhile`);
    }
  }

  private deleteDraft(journeyId: string, revision: number): TableWrite {
    return { delete: keys.journeyDraft(journeyId), condition: attributeIs('revision', revision) };
  }

  private async summarize(pointer: JourneyPointer): Promise<JourneySummary> {
    const latestName =
      pointer.name === undefined
        ? (await this.getVersion(pointer.journeyId, pointer.latestVersion))?.definition.name
        : undefined;
    return journeySummary(pointer, latestName);
  }

  private async pointers(): Promise<JourneyPointer[]> {
    const items = await this.table.queryAll(keys.journeyPointerPartition);
    return items.map((item) => JourneyPointer.parse(item));
  }

  private async pointer(journeyId: string): Promise<JourneyPointer | undefined> {
    const item = await this.table.get(keys.journeyPointer(journeyId));
    return item === undefined ? undefined : JourneyPointer.parse(item);
  }
}
