import { z } from 'zod';
import { ConsentEntry } from '../../domain/consent-entry.js';
import { Contact, normalizeEmail } from '../../domain/contact.js';
import type { ContactListPosition } from '../../domain/contact-listing.js';
import { ConcurrentUpdateError, ContactExistsError } from '../../domain/errors.js';
import type { JobCursor } from '../../domain/journey-job.js';
import type {
  ContactChange,
  ContactListPage,
  ContactLookup,
  ContactStore,
  NewContact,
} from '../../ports/contact-store.js';
import type { Page } from '../../ports/page.js';
import type { PhoneDirectory } from '../../ports/phone-directory.js';
import { contactListCursor, contactListPosition } from '../dynamodb/contact-list-position.js';
import {
  type DamageReporter,
  readEachRepairing,
  readEachSkipping,
  readRepairing,
  reportOnStderr,
} from '../dynamodb/damaged-items.js';
import { consentItem, eventItem, identityItem, messageItem, profileItem } from '../dynamodb/items.js';
import { keys, listIndexKeys } from '../dynamodb/keys.js';
import { readListPage } from './memory-list-index.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

const IdentityItem = z.object({ contactId: z.string().min(1) });

const profileIndex = 0;
const identityIndex = 1;

/** The contact store on the memory table: DynamoContactStore's items, conditions and answers. */
export class MemoryContactStore implements ContactStore, ContactLookup, PhoneDirectory {
  constructor(
    private readonly table: MemoryTable,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async findIdByEmail(email: string): Promise<string | undefined> {
    const item = await this.table.get(keys.emailIdentity(normalizeEmail(email)));
    return item === undefined ? undefined : IdentityItem.parse(item).contactId;
  }

  async findIdByPhone(e164: string): Promise<string | undefined> {
    const item = await this.table.get(keys.phoneIdentity(e164));
    return item === undefined ? undefined : IdentityItem.parse(item).contactId;
  }

  async claimPhone(e164: string, contactId: string): Promise<boolean> {
    const outcome = await this.table.write({
      put: identityItem(keys.phoneIdentity(e164), contactId),
      condition: (current) => current === undefined || current.contactId === contactId,
    });
    return outcome.written;
  }

  async releasePhone(e164: string, contactId: string): Promise<void> {
    // Another contact's pointer (a shared phone), or none: nothing of ours to release.
    await this.table.write({
      delete: keys.phoneIdentity(e164),
      condition: attributeIs('contactId', contactId),
    });
  }

  async get(contactId: string): Promise<Contact | undefined> {
    const item = await this.table.get(keys.contact(contactId));
    return item === undefined ? undefined : readRepairing(Contact, item, this.reportDamage);
  }

  async getMany(contactIds: readonly string[]): Promise<Map<string, Contact>> {
    const contacts = new Map<string, Contact>();
    for (const contactId of contactIds) {
      const contact = await this.get(contactId);
      if (contact !== undefined) contacts.set(contactId, contact);
    }
    return contacts;
  }

  async create({ contact, consent, additionalConsent = [], messages }: NewContact): Promise<void> {
    const email = normalizeEmail(contact.email);
    const writes: TableWrite[] = [
      { put: profileItem(contact), condition: itemAbsent },
      { put: identityItem(keys.emailIdentity(email), contact.id), condition: itemAbsent },
      { put: consentItem(consent), condition: itemAbsent },
      ...additionalConsent.map((entry) => ({ put: consentItem(entry), condition: itemAbsent })),
      ...messages.map((message) => ({ put: messageItem(message), condition: itemAbsent })),
    ];
    const cancellation = await this.table.transact(writes);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(identityIndex)) {
      throw new ContactExistsError(`a contact with the email ${email} exists`);
    }
    throw new Error(
      `creating contact ${contact.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async update({ contact, expectedVersion, consent, events, messages }: ContactChange): Promise<void> {
    if (contact.version !== expectedVersion + 1) {
      throw new Error(
        `contact ${contact.id} must be written as version ${expectedVersion + 1}, not ${contact.version}`,
      );
    }
    const writes: TableWrite[] = [
      { put: profileItem(contact), condition: attributeIs('version', expectedVersion) },
      ...consent.map((entry) => ({ put: consentItem(entry), condition: itemAbsent })),
      ...events.map((event) => ({ put: eventItem(event), condition: itemAbsent })),
      ...messages.map((message) => ({ put: messageItem(message), condition: itemAbsent })),
    ];
    const cancellation = await this.table.transact(writes);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(profileIndex)) {
      throw new ConcurrentUpdateError(
        `contact ${contact.id} changed since version ${expectedVersion} was read`,
      );
    }
    throw new Error(
      `updating contact ${contact.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async consentLog(contactId: string): Promise<ConsentEntry[]> {
    const items = await this.table.queryAll(keys.contact(contactId).PK, { prefix: keys.consentPrefix });
    // Sort keys hold the ISO time then a ULID, so key order is the order of the log.
    return readEachSkipping(ConsentEntry, items, this.reportDamage);
  }

  async page(cursor: JobCursor, limit: number): Promise<Page<Contact>> {
    const page = await readListPage(this.table, listIndexKeys.contactPartition, cursor, limit);
    return { items: readEachRepairing(Contact, page.items, this.reportDamage), next: page.next };
  }
  async listPage(from: ContactListPosition, limit: number): Promise<ContactListPage> {
    const page = await this.page(contactListCursor(from), limit);
    return {
      contacts: page.items,
      next: page.next === undefined ? undefined : contactListPosition(page.next),
    };
  }
}
