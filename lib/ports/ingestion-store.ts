import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { CounterIncrement } from '../domain/counter-increment.js';
import type { Order } from '../domain/order.js';

export interface IdentityClaim {
  kind: 'email' | 'user';
  /** A normalized email, or the shop's user id. */
  value: string;
  /** The contact a stale lookup points at (one that no longer exists): the claim takes it over. */
  replaces?: string;
}

export interface DedupeMark {
  kind: 'message' | 'order';
  id: string;
  /** Epoch seconds after which DynamoDB's TTL removes the mark. */
  expiresAt: number;
}

/** The profile side of one ingested call. */
export type ProfileWrite =
  /** A person the shop knows and the database did not: created without marketing consent. */
  | { kind: 'new'; contact: Contact; identities: IdentityClaim[] }
  /** An existing contact, rewritten over the version that was read (its card or traits changed). */
  | { kind: 'update'; contact: Contact; expectedVersion: number; identities: IdentityClaim[] }
  /** An existing contact the call does not change (still there, at the version read). */
  | { kind: 'unchanged'; contactId: string; readVersion: number };

/** Everything one accepted call writes, in one transaction. */
export interface IngestionWrite {
  dedupe: DedupeMark[];
  profile: ProfileWrite;
  event: ContactEvent;
  order?: Order;
  /** A refund: the order's new refunded total, over the total that was read. */
  refund?: { orderId: string; refundedBefore: number; refundedAfter: number };
  /** What an order's attribution counts (its journey's or campaign's sales), stored with it: a duplicate counts nothing. */
  counters?: CounterIncrement[];
}

export interface IngestionStore {
  /** The contact an identity points at. */
  resolve(claim: IdentityClaim): Promise<string | undefined>;
  /** The contacts the identities point at, in the order of `claims`, read together. */
  resolveMany(claims: readonly IdentityClaim[]): Promise<Array<string | undefined>>;
  /**
   * Whether each dedupe mark is stored, in the order of `marks`, read together.
   * Only a hint for skipping work: `record` still refuses a mark written meanwhile.
   */
  marked(marks: ReadonlyArray<Pick<DedupeMark, 'kind' | 'id'>>): Promise<boolean[]>;
  /**
   * Atomic. `duplicate` when a dedupe mark exists already (nothing is written);
   * ConcurrentUpdateError when the profile changed since it was read or an
   * identity was claimed meanwhile, so the caller resolves and tries again.
   */
  record(write: IngestionWrite): Promise<'stored' | 'duplicate'>;
  order(contactId: string, orderId: string): Promise<Order | undefined>;
}
