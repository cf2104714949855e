import type { ConsentEntry } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { ContactListPosition } from '../domain/contact-listing.js';
import type { JobCursor } from '../domain/journey-job.js';
import type { Message } from '../domain/message.js';
import type { Page } from './page.js';

export interface NewContact {
  contact: Contact;
  consent: ConsentEntry;
  /** Entries for other channels asked for at the same time (SMS at signup). */
  additionalConsent?: ConsentEntry[];
  messages: Message[];
}

/** A new state for an existing contact, with everything that must be written in the same transaction. */
export interface ContactChange {
  contact: Contact;
  /** The version that was read; the write fails with ConcurrentUpdateError if the stored one differs. */
  expectedVersion: number;
  consent: ConsentEntry[];
  events: ContactEvent[];
  messages: Message[];
}

export interface ContactStore {
  findIdByEmail(email: string): Promise<string | undefined>;
  get(contactId: string): Promise<Contact | undefined>;
  /** Atomic: profile, email identity, consent entry, messages. ContactExistsError if the email is taken. */
  create(change: NewContact): Promise<void>;
  /** Atomic: profile (optimistic on version), consent entries, events, messages. */
  update(change: ContactChange): Promise<void>;
  /** Oldest first. */
  consentLog(contactId: string): Promise<ConsentEntry[]>;
  /** Every contact, a page at a time, in no particular order (a date trigger's backfill). */
  page(cursor: JobCursor, limit: number): Promise<Page<Contact>>;
  /**
   * The same walk from a position a caller may have made up (the admin list's
   * cursor): up to `limit` contacts of the position's shard after its contact,
   * then where to go on from (undefined after the last shard).
   */
  listPage(from: ContactListPosition, limit: number): Promise<ContactListPage>;
}

export interface ContactListPage {
  contacts: Contact[];
  next: ContactListPosition | undefined;
}

/** What ingestion reads of contacts: one, or all a batch of calls is about at once. */
export interface ContactLookup {
  get(contactId: string): Promise<Contact | undefined>;
  /** The contacts among `contactIds` that exist, by id, read together. */
  getMany(contactIds: readonly string[]): Promise<Map<string, Contact>>;
}
