import { z } from 'zod';
import { ProfileIdentities } from '../../domain/contact.js';
import type { PartitionGroup } from '../../domain/contact-export.js';
import { ErasureRecord } from '../../domain/erasure.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { IdentityKind, PartitionItem, PersonalDataStore } from '../../ports/personal-data-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { exportedItem, groupOf, identityKey } from '../dynamodb/partition-groups.js';
import { attributeIs, itemAbsent, type MemoryTable } from './memory-table.js';

const IdentityItem = z.object({ contactId: z.string().min(1) });

/** The keys-only page the sweep deletes at a time, as the DynamoDB store pages it. */
const sweepPage = 100;

/** Everything under a contact's partition, exported and erased as DynamoPersonalDataStore does. */
export class MemoryPersonalDataStore implements PersonalDataStore {
  constructor(private readonly table: MemoryTable) {}

  async profile(contactId: string): Promise<ProfileIdentities | undefined> {
    const item = await this.table.get(keys.contact(contactId));
    return item === undefined ? undefined : ProfileIdentities.parse(item);
  }

  async partition(contactId: string): Promise<PartitionItem[]> {
    const items = await this.table.queryAll(keys.contact(contactId).PK);
    return items.map((item) => {
      const group = groupOf(item.SK);
      return { group, item: exportedItem(group, item) };
    });
  }

  async identityOwner(kind: IdentityKind, value: string): Promise<string | undefined> {
    const item = await this.table.get(identityKey(kind, value));
    return item === undefined ? undefined : IdentityItem.parse(item).contactId;
  }

  async releaseIdentity(kind: IdentityKind, value: string, contactId: string): Promise<boolean> {
    // A shared phone's lookup may belong to the other contact: that one is not ours to remove.
    const outcome = await this.table.write({
      delete: identityKey(kind, value),
      condition: attributeIs('contactId', contactId),
    });
    return outcome.written;
  }

  async deletePartition(contactId: string): Promise<Partial<Record<PartitionGroup, number>>> {
    const counts: Partial<Record<PartitionGroup, number>> = {};
    const partitionKey = keys.contact(contactId).PK;
    let startAfter: string | undefined;
    do {
      const page = await this.table.query(partitionKey, {
        limit: sweepPage,
        ...(startAfter === undefined ? {} : { startAfter }),
      });
      for (const { PK, SK } of page.items) {
        await this.table.write({ delete: { PK, SK } });
        const group = groupOf(SK);
        counts[group] = (counts[group] ?? 0) + 1;
      }
      startAfter = page.lastKey?.SK;
    } while (startAfter !== undefined);
    return counts;
  }

  async beginErasure(record: ErasureRecord, expectedVersion: number): Promise<void> {
    const cancellation = await this.table.transact([
      { put: this.erasureItem(record), condition: itemAbsent },
      { delete: keys.contact(record.contactId), condition: attributeIs('version', expectedVersion) },
    ]);
    if (cancellation === undefined) return;
    // The profile changed (a signup raced the erasure) or another erasure got there first:
    // the caller re-reads and either erases what is there now or finds the record.
    throw new ConcurrentUpdateError(
      `contact ${record.contactId} changed since version ${expectedVersion} was read for its erasure`,
    );
  }

  async finishErasure(record: ErasureRecord): Promise<ErasureRecord> {
    const outcome = await this.table.write({
      put: this.erasureItem(record),
      condition: attributeIs('status', 'erasing'),
    });
    if (outcome.written) return record;
    const stored = await this.erasure(record.contactId);
    if (stored === undefined) throw new Error(`the erasure record of ${record.contactId} disappeared`);
    return stored;
  }

  async erasure(contactId: string): Promise<ErasureRecord | undefined> {
    const item = await this.table.get(keys.erasure(contactId));
    return item === undefined ? undefined : ErasureRecord.parse(item);
  }

  private erasureItem(record: ErasureRecord) {
    return { ...keys.erasure(record.contactId), type: 'erasure' satisfies ItemType, ...record };
  }
}
