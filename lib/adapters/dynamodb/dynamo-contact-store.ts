import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
import { batchGetItems, itemKeyText } from './batch-get.js';
import { contactListCursor, contactListPosition } from './contact-list-position.js';
import {
  type DamageReporter,
  readEachRepairing,
  readEachSkipping,
  readRepairing,
  reportOnStderr,
} from './damaged-items.js';
import {
  consentItem,
  eventItem,
  identityItem,
  messageItem,
  mustNotExist,
  profileItem,
  putNew,
} from './items.js';
import { keys, listIndexKeys } from './keys.js';
import { readListPage } from './list-index.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure, type TransactItem, transactWrite } from './transactions.js';

/** The email identity item: it exists only to make an address unique and point at its contact. */
const IdentityItem = z.object({ contactId: z.string().min(1) });

export class DynamoContactStore implements ContactStore, ContactLookup, PhoneDirectory {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async findIdByEmail(email: string): Promise<string | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.emailIdentity(normalizeEmail(email)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : IdentityItem.parse(Item).contactId;
  }

  async findIdByPhone(e164: string): Promise<string | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.phoneIdentity(e164), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : IdentityItem.parse(Item).contactId;
  }

  async claimPhone(e164: string, contactId: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: identityItem(keys.phoneIdentity(e164), contactId),
          ConditionExpression: `${mustNotExist} OR contactId = :contactId`,
          ExpressionAttributeValues: { ':contactId': contactId },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return false;
    }
  }

  async releasePhone(e164: string, contactId: string): Promise<void> {
    try {
      await this.documentClient.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.phoneIdentity(e164),
          ConditionExpression: 'contactId = :contactId',
          ExpressionAttributeValues: { ':contactId': contactId },
        }),
      );
    } catch (error) {
      // Another contact's pointer (a shared phone), or none: nothing of ours to release.
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  async get(contactId: string): Promise<Contact | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(contactId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : readRepairing(Contact, Item, this.reportDamage);
  }

  async getMany(contactIds: readonly string[]): Promise<Map<string, Contact>> {
    const found = await batchGetItems(this.documentClient, this.tableName, contactIds.map(keys.contact));
    const contacts = new Map<string, Contact>();
    for (const contactId of contactIds) {
      const item = found.get(itemKeyText(keys.contact(contactId)));
      if (item !== undefined) contacts.set(contactId, readRepairing(Contact, item, this.reportDamage));
    }
    return contacts;
  }

  async create({ contact, consent, additionalConsent = [], messages }: NewContact): Promise<void> {
    const email = normalizeEmail(contact.email);
    const items: TransactItem[] = [
      putNew(this.tableName, profileItem(contact)),
      putNew(this.tableName, identityItem(keys.emailIdentity(email), contact.id)),
      putNew(this.tableName, consentItem(consent)),
      ...additionalConsent.map((entry) => putNew(this.tableName, consentItem(entry))),
      ...messages.map((message) => putNew(this.tableName, messageItem(message))),
    ];
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(identityIndex)) {
      throw new ContactExistsError(`a contact with the email ${email} exists`);
    }
    if (cancellation.conflicted) {
      throw new ConcurrentUpdateError(`another write touched contact ${contact.id} at the same time`);
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
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: profileItem(contact),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...consent.map((entry) => putNew(this.tableName, consentItem(entry))),
      ...events.map((event) => putNew(this.tableName, eventItem(event))),
      ...messages.map((message) => putNew(this.tableName, messageItem(message))),
    ];
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation === undefined) return;
    if (cancellation.failedConditions.includes(profileIndex) || cancellation.conflicted) {
      throw new ConcurrentUpdateError(
        `contact ${contact.id} changed since version ${expectedVersion} was read`,
      );
    }
    throw new Error(
      `updating contact ${contact.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async consentLog(contactId: string): Promise<ConsentEntry[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': keys.consentPrefix },
      ConsistentRead: true,
    });
    // Sort keys hold the ISO time then a ULID, so key order is the order of the log.
    return readEachSkipping(ConsentEntry, items, this.reportDamage);
  }

  async page(cursor: JobCursor, limit: number): Promise<Page<Contact>> {
    const page = await readListPage(
      this.documentClient,
      this.tableName,
      listIndexKeys.contactPartition,
      cursor,
      limit,
    );
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

const profileIndex = 0;
const identityIndex = 1;
