import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Enrollment } from '../../domain/enrollment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { JobCursor } from '../../domain/journey-job.js';
import type {
  ContactAttributesUpdate,
  EnrollmentEffects,
  EnrollmentStore,
  EntryRules,
  StartOutcome,
} from '../../ports/enrollment-store.js';
import type { Page } from '../../ports/page.js';
import { addToCounters } from './add-to-counters.js';
import { counterShardOf, counterUpdates, fitCounters } from './counter-items.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from './damaged-items.js';
import {
  activeItem,
  enrollmentItem,
  enteredItem,
  eventItem,
  messageItem,
  mustNotExist,
  outboundEventItem,
  putNew,
} from './items.js';
import { keys, listIndexKeys } from './keys.js';
import { readListPage } from './list-index.js';
import { queryAll } from './query-all.js';
import { timerItem } from './timer-items.js';
import { type TransactItem, transactWriteThroughConflicts } from './transactions.js';

export class DynamoEnrollmentStore implements EnrollmentStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The timer wheel's write shards (TIMER_SHARDS). */
    private readonly timerShards: number,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  /** The effects' items; the contact update, if any, comes first so its index is known. */
  private effectItems(effects: EnrollmentEffects, now: Date): TransactItem[] {
    const update = effects.contactUpdate;
    return [
      ...(update === undefined ? [] : [this.contactUpdateItem(update)]),
      ...(update?.events ?? []).map((event) => putNew(this.tableName, eventItem(event))),
      ...effects.messages.map((message) => putNew(this.tableName, messageItem(message))),
      ...effects.timers.map((timer) => putNew(this.tableName, timerItem(timer, this.timerShards, now))),
      ...(effects.outboundEvents ?? []).map((event) => putNew(this.tableName, outboundEventItem(event))),
    ];
  }

  /** Only the attributes, over the version the step read: consent and identity are never a journey's to write. */
  private contactUpdateItem(update: ContactAttributesUpdate): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.contact(update.contactId),
        UpdateExpression: 'SET #attributes = :attributes, #updatedAt = :at, #version = :next',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: {
          '#attributes': 'attributes',
          '#updatedAt': 'updatedAt',
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ':attributes': update.attributes,
          ':at': update.updatedAt,
          ':expected': update.expectedVersion,
          ':next': update.expectedVersion + 1,
        },
      },
    };
  }

  /**
   * Writes the step's items with as many of its counters as fit (last, so the other
   * items keep their indexes), and the rest of the counters once it committed.
   */
  private async writeStep(
    enrollment: Enrollment,
    items: TransactItem[],
    effects: EnrollmentEffects,
  ): Promise<ReturnType<typeof transactWriteThroughConflicts>> {
    const { within, after } = fitCounters(items.length, effects.counters ?? []);
    const shard = counterShardOf(`${enrollment.contactId}#${enrollment.id}`);
    const cancellation = await transactWriteThroughConflicts(this.documentClient, [
      ...items,
      ...counterUpdates(this.tableName, within, shard),
    ]);
    if (cancellation === undefined) await addToCounters(this.documentClient, this.tableName, after);
    return cancellation;
  }

  private contactChanged(effects: EnrollmentEffects, failedConditions: readonly number[]): boolean {
    // The contact update is the first effect item, right after the enrollment itself.
    return effects.contactUpdate !== undefined && failedConditions.includes(1);
  }

  async start(enrollment: Enrollment, effects: EnrollmentEffects, rules: EntryRules): Promise<StartOutcome> {
    const now = new Date(enrollment.enteredAt);
    // An enrollment that ended in its first step is not active: it needs no marker.
    const takesMarker = rules.exclusive && enrollment.status === 'active';
    const items: TransactItem[] = [
      putNew(
        this.tableName,
        enrollmentItem(takesMarker ? { ...enrollment, holdsActiveMarker: true } : enrollment),
      ),
      ...this.effectItems(effects, now),
    ];
    const markers: Array<{ index: number; outcome: StartOutcome }> = [];
    const reentry = rules.reentry;
    if (reentry === 'never') {
      markers.push({ index: items.length, outcome: 'already-entered' });
      items.push(putNew(this.tableName, enteredItem(enrollment)));
    } else if (reentry !== 'always') {
      markers.push({ index: items.length, outcome: 'cooling-down' });
      items.push({
        Put: {
          TableName: this.tableName,
          Item: enteredItem(enrollment),
          ConditionExpression: `${mustNotExist} OR #at < :since`,
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':since': reentry.since.toISOString() },
        },
      });
    }
    if (takesMarker) {
      markers.push({ index: items.length, outcome: 'already-active' });
      items.push(putNew(this.tableName, activeItem(enrollment)));
    }
    const cancellation = await this.writeStep(enrollment, items, effects);
    if (cancellation === undefined) return 'started';
    // A replayed trigger finds its own enrollment (and so its own markers): that is the answer.
    if (cancellation.failedConditions.includes(0)) return 'already-started';
    const marker = markers.find(({ index }) => cancellation.failedConditions.includes(index));
    if (marker !== undefined) return marker.outcome;
    if (cancellation.conflicted || this.contactChanged(effects, cancellation.failedConditions)) {
      throw new ConcurrentUpdateError(
        `another write touched enrollment ${enrollment.id} of contact ${enrollment.contactId} at the same time`,
      );
    }
    throw new Error(
      `starting enrollment ${enrollment.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async advance(enrollment: Enrollment, expectedVersion: number, effects: EnrollmentEffects): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: enrollmentItem(enrollment),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...this.effectItems(effects, new Date(enrollment.updatedAt)),
    ];
    // Only an enrollment that took the marker releases it: with `concurrent` changed between
    // versions, another enrollment of the same journey may hold it, and must keep it.
    if (enrollment.status !== 'active' && enrollment.holdsActiveMarker === true) {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: keys.active(enrollment.contactId, enrollment.journeyId),
          ConditionExpression: 'attribute_not_exists(PK) OR enrollmentId = :id',
          ExpressionAttributeValues: { ':id': enrollment.id },
        },
      });
    }
    const cancellation = await this.writeStep(enrollment, items, effects);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(0) || cancellation.conflicted) {
      throw new ConcurrentUpdateError(`enrollment ${enrollment.id} changed since version ${expectedVersion}`);
    }
    if (this.contactChanged(effects, cancellation.failedConditions)) {
      throw new ConcurrentUpdateError(
        `contact ${enrollment.contactId} changed while enrollment ${enrollment.id} was updating it`,
      );
    }
    throw new Error(
      `advancing enrollment ${enrollment.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async listForContact(contactId: string): Promise<Enrollment[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': keys.enrollmentPrefix },
      ConsistentRead: true,
    });
    return readEachSkipping(Enrollment, items, this.reportDamage);
  }

  async activePage(journeyId: string, cursor: JobCursor, limit: number): Promise<Page<Enrollment>> {
    const page = await readListPage(
      this.documentClient,
      this.tableName,
      (shard) => listIndexKeys.activeEnrollmentPartition(journeyId, shard),
      cursor,
      limit,
    );
    return { items: readEachSkipping(Enrollment, page.items, this.reportDamage), next: page.next };
  }
}
