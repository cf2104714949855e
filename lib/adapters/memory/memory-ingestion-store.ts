import { mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { Order } from '../../domain/order.js';
import type {
  DedupeMark,
  IdentityClaim,
  IngestionStore,
  IngestionWrite,
} from '../../ports/ingestion-store.js';
import { counterShardOf } from '../dynamodb/counter-items.js';
import { claimKey, dedupeItem, orderItem } from '../dynamodb/ingestion-items.js';
import { eventItem, identityItem, profileItem } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { counterWrites } from './memory-counters.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

/**
 * Ingestion's one transaction on the memory table, write for write as
 * DynamoIngestionStore builds it: dedupe marks, the profile, identities, the
 * event, the order or the refund, and what the order's attribution counts.
 */
export class MemoryIngestionStore implements IngestionStore {
  constructor(private readonly table: MemoryTable) {}

  async resolve(claim: IdentityClaim): Promise<string | undefined> {
    const item = await this.table.get(claimKey(claim));
    return typeof item?.contactId === 'string' ? item.contactId : undefined;
  }

  async resolveMany(claims: readonly IdentityClaim[]): Promise<Array<string | undefined>> {
    return Promise.all(claims.map((claim) => this.resolve(claim)));
  }

  async marked(marks: ReadonlyArray<Pick<DedupeMark, 'kind' | 'id'>>): Promise<boolean[]> {
    return Promise.all(
      marks.map(async (mark) => (await this.table.get(keys.dedupe(mark.kind, mark.id))) !== undefined),
    );
  }

  async record(write: IngestionWrite): Promise<'stored' | 'duplicate'> {
    const { profile, event, order } = write;
    const writes: TableWrite[] = write.dedupe.map((mark) => ({
      put: dedupeItem(mark, event),
      condition: itemAbsent,
    }));
    const dedupeCount = writes.length;
    if (profile.kind === 'new') writes.push({ put: profileItem(profile.contact), condition: itemAbsent });
    if (profile.kind === 'update') {
      writes.push({
        put: profileItem(profile.contact),
        condition: attributeIs('version', profile.expectedVersion),
      });
    }
    if (profile.kind === 'unchanged') {
      // The contact may have been erased since it was read: nothing may be written under it then.
      writes.push({
        check: keys.contact(profile.contactId),
        condition: attributeIs('version', profile.readVersion),
      });
    }
    const contactId = profile.kind === 'unchanged' ? profile.contactId : profile.contact.id;
    if (profile.kind !== 'unchanged') {
      for (const claim of profile.identities) {
        const stale = claim.replaces;
        writes.push({
          put: identityItem(claimKey(claim), contactId),
          condition:
            stale === undefined
              ? itemAbsent
              : (current) => current === undefined || current.contactId === stale,
        });
      }
    }
    writes.push({ put: eventItem(event), condition: itemAbsent });
    const orderIndex = writes.length;
    if (order !== undefined) writes.push({ put: orderItem(contactId, order), condition: itemAbsent });
    const refund = write.refund;
    if (refund !== undefined) {
      writes.push({
        update: keys.order(contactId, refund.orderId),
        apply: (current) => ({ ...current, refunded: refund.refundedAfter }),
        condition: (current) =>
          current !== undefined &&
          (current.refunded === refund.refundedBefore ||
            (current.refunded === undefined && refund.refundedBefore === 0)),
      });
    }
    writes.push(...counterWrites(mergeIncrements(write.counters ?? []), counterShardOf(event.id)));
    const cancellation = this.table.transact(writes);
    if (cancellation === undefined) return 'stored';
    // An order stored before its dedupe mark expired is still the same order.
    if (
      cancellation.failedConditions.some(
        (index) => index < dedupeCount || (order !== undefined && index === orderIndex),
      )
    )
      return 'duplicate';
    throw new ConcurrentUpdateError(
      `recording event ${event.id} for contact ${contactId} met a concurrent write (items ${cancellation.failedConditions.join(', ')})`,
    );
  }

  async order(contactId: string, orderId: string): Promise<Order | undefined> {
    const item = await this.table.get(keys.order(contactId, orderId));
    return item === undefined ? undefined : Order.parse(item);
  }
}
