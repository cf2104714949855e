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
import { counterShardOf, fitCounters } from '../dynamodb/counter-items.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from '../dynamodb/damaged-items.js';
import {
  activeItem,
  enrollmentItem,
  enteredItem,
  eventItem,
  messageItem,
  outboundEventItem,
} from '../dynamodb/items.js';
import { keys, listIndexKeys } from '../dynamodb/keys.js';
import { timerItem } from '../dynamodb/timer-items.js';
import { addToCounters, counterWrites } from './memory-counters.js';
import { readListPage } from './memory-list-index.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

/** The enrollment store on the memory table: DynamoEnrollmentStore's transactions, item for item. */
export class MemoryEnrollmentStore implements EnrollmentStore {
  constructor(
    private readonly table: MemoryTable,
    /** The timer wheel's write shards (TIMER_SHARDS). */
    private readonly timerShards: number,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  /** The effects' writes; the contact update, if any, comes first so its index is known. */
  private effectWrites(effects: EnrollmentEffects, now: Date): TableWrite[] {
    const update = effects.contactUpdate;
    return [
      ...(update === undefined ? [] : [this.contactUpdateWrite(update)]),
      ...(update?.events ?? []).map((event) => ({ put: eventItem(event), condition: itemAbsent })),
      ...effects.messages.map((message) => ({ put: messageItem(message), condition: itemAbsent })),
      ...effects.timers.map((timer) => ({
        put: timerItem(timer, this.timerShards, now),
        condition: itemAbsent,
      })),
      ...(effects.outboundEvents ?? []).map((event) => ({
        put: outboundEventItem(event),
        condition: itemAbsent,
      })),
    ];
  }

  /** Only the attributes, over the version the step read: consent and identity are never a journey's to write. */
  private contactUpdateWrite(update: ContactAttributesUpdate): TableWrite {
    return {
      update: keys.contact(update.contactId),
      apply: (current) => ({
        ...current,
        attributes: update.attributes,
        updatedAt: update.updatedAt,
        version: update.expectedVersion + 1,
      }),
      condition: attributeIs('version', update.expectedVersion),
    };
  }

  /** DynamoEnrollmentStore's step write: as many counters as fit go last in the transaction, the rest after it. */
  private writeStep(enrollment: Enrollment, writes: TableWrite[], effects: EnrollmentEffects) {
    const { within, after } = fitCounters(writes.length, effects.counters ?? []);
    const shard = counterShardOf(`${enrollment.contactId}#${enrollment.id}`);
    const cancellation = this.table.transact([...writes, ...counterWrites(within, shard)]);
    if (cancellation === undefined) addToCounters(this.table, after);
    return cancellation;
  }

  private contactChanged(effects: EnrollmentEffects, failedConditions: readonly number[]): boolean {
    // The contact update is the first effect write, right after the enrollment itself.
    return effects.contactUpdate !== undefined && failedConditions.includes(1);
  }

  async start(enrollment: Enrollment, effects: EnrollmentEffects, rules: EntryRules): Promise<StartOutcome> {
    const now = new Date(enrollment.enteredAt);
    // An enrollment that ended in its first step is not active: it needs no marker.
    const takesMarker = rules.exclusive && enrollment.status === 'active';
    const writes: TableWrite[] = [
      {
        put: enrollmentItem(takesMarker ? { ...enrollment, holdsActiveMarker: true } : enrollment),
        condition: itemAbsent,
      },
      ...this.effectWrites(effects, now),
    ];
    const markers: Array<{ index: number; outcome: StartOutcome }> = [];
    const reentry = rules.reentry;
    if (reentry === 'never') {
      markers.push({ index: writes.length, outcome: 'already-entered' });
      writes.push({ put: enteredItem(enrollment), condition: itemAbsent });
    } else if (reentry !== 'always') {
      markers.push({ index: writes.length, outcome: 'cooling-down' });
      const since = reentry.since.toISOString();
      writes.push({
        put: enteredItem(enrollment),
        condition: (current) =>
          current === undefined || (typeof current.at === 'string' && current.at < since),
      });
    }
    if (takesMarker) {
      markers.push({ index: writes.length, outcome: 'already-active' });
      writes.push({ put: activeItem(enrollment), condition: itemAbsent });
    }
    const cancellation = this.writeStep(enrollment, writes, effects);
    if (cancellation === undefined) return 'started';
    // A replayed trigger finds its own enrollment (and so its own markers): that is the answer.
    if (cancellation.failedConditions.includes(0)) return 'already-started';
    const marker = markers.find(({ index }) => cancellation.failedConditions.includes(index));
    if (marker !== undefined) return marker.outcome;
    if (this.contactChanged(effects, cancellation.failedConditions)) {
      throw new ConcurrentUpdateError(
        `another write touched enrollment ${enrollment.id} of contact ${enrollment.contactId} at the same time`,
      );
    }
    throw new Error(
      `starting enrollment ${enrollment.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async advance(enrollment: Enrollment, expectedVersion: number, effects: EnrollmentEffects): Promise<void> {
    const writes: TableWrite[] = [
      { put: enrollmentItem(enrollment), condition: attributeIs('version', expectedVersion) },
      ...this.effectWrites(effects, new Date(enrollment.updatedAt)),
    ];
    // Only an enrollment that took the marker releases it: with `concurrent` changed between
    // versions, another enrollment of the same journey may hold it, and must keep it.
    if (enrollment.status !== 'active' && enrollment.holdsActiveMarker === true) {
      writes.push({
        delete: keys.active(enrollment.contactId, enrollment.journeyId),
        condition: (current) => current === undefined || current.enrollmentId === enrollment.id,
      });
    }
    const cancellation = this.writeStep(enrollment, writes, effects);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(0)) {
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
    const items = await this.table.queryAll(keys.contact(contactId).PK, { prefix: keys.enrollmentPrefix });
    return readEachSkipping(Enrollment, items, this.reportDamage);
  }

  async activePage(journeyId: string, cursor: JobCursor, limit: number): Promise<Page<Enrollment>> {
    const page = await readListPage(
      this.table,
      (shard) => listIndexKeys.activeEnrollmentPartition(journeyId, shard),
      cursor,
      limit,
    );
    return { items: readEachSkipping(Enrollment, page.items, this.reportDamage), next: page.next };
  }
}
