import type { ProfileIdentities } from '../domain/contact.js';
import type { PartitionGroup } from '../domain/contact-export.js';
import type { ErasureRecord } from '../domain/erasure.js';

/** The lookups that lead to a contact: its email, its phone number, the shop's user id. */
export type IdentityKind = 'email' | 'phone' | 'user';

/** One item of a contact's partition, as the export shows it (without the table's keys). */
export interface PartitionItem {
  group: PartitionGroup;
  item: Record<string, unknown>;
}

/**
 * Everything stored about one person, read and removed as a whole: the export
 * (a subject access request) and the erasure (the right to be forgotten).
 */
export interface PersonalDataStore {
  /** The profile's identities and version, however damaged the rest of it is; undefined without a profile. */
  profile(contactId: string): Promise<ProfileIdentities | undefined>;
  /** Every item under the contact's partition, in key order, read consistently. */
  partition(contactId: string): Promise<PartitionItem[]>;
  /** The contact an identity's lookup item points at. */
  identityOwner(kind: IdentityKind, value: string): Promise<string | undefined>;
  /** Deletes the lookup item only if it points at this contact; true when it did. */
  releaseIdentity(kind: IdentityKind, value: string, contactId: string): Promise<boolean>;
  /** Deletes every item under the contact's partition, a page at a time; how many of each group. */
  deletePartition(contactId: string): Promise<Partial<Record<PartitionGroup, number>>>;
  /**
   * Atomic: writes the record (`erasing`) and deletes the profile, only if the
   * profile is still at `expectedVersion`; ConcurrentUpdateError otherwise.
   */
  beginErasure(record: ErasureRecord, expectedVersion: number): Promise<void>;
  /**
   * Replaces an `erasing` record with the finished one. Returns the record as
   * stored: this one, or the one a concurrent request finished first.
   */
  finishErasure(record: ErasureRecord): Promise<ErasureRecord>;
  erasure(contactId: string): Promise<ErasureRecord | undefined>;
}
