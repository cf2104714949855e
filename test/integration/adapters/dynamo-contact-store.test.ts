import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { ConcurrentUpdateError, ContactExistsError } from '../../../lib/domain/errors.js';
import { aConsentEntry, aContact, aMessage, newId } from '../support/builders.js';
import { createTestTable, type TestTable } from '../support/table.js';

let table: TestTable;
let contacts: DynamoContactStore;

beforeAll(async () => {
  table = await createTestTable();
  contacts = new DynamoContactStore(table.documentClient, table.tableName);
});

describe('the DynamoDB contact store', () => {
  describe('when a contact is created', () => {
    it('stores the profile, the email identity, the consent entry and the messages together', async () => {
      const contact = aContact({ email: 'Ada.Lovelace@Example.com' });
      const consent = aConsentEntry(contact.id);
      const message = aMessage(contact.id);

      await contacts.create({ contact, consent, messages: [message] });

      expect(await contacts.get(contact.id)).toEqual(contact);
      expect(await contacts.findIdByEmail('  ada.lovelace@EXAMPLE.com ')).toBe(contact.id);
      expect(await contacts.consentLog(contact.id)).toEqual([consent]);
      expect(
        await new DynamoOutbox(table.documentClient, table.tableName).get(contact.id, message.key),
      ).toEqual(message);
    });

    it('knows no contact for an address nobody used', async () => {
      expect(await contacts.findIdByEmail('nobody@example.com')).toBeUndefined();
      expect(await contacts.get(newId())).toBeUndefined();
    });
  });

  describe('when a second contact claims an address already taken', () => {
    it('fails with ContactExistsError and writes none of its items', async () => {
      const first = aContact();
      await contacts.create({ contact: first, consent: aConsentEntry(first.id), messages: [] });
      const second = aContact({ email: first.email.toUpperCase() });

      await expect(
        contacts.create({
          contact: second,
          consent: aConsentEntry(second.id),
          messages: [aMessage(second.id)],
        }),
      ).rejects.toBeInstanceOf(ContactExistsError);

      expect(await contacts.get(second.id)).toBeUndefined();
      expect(await contacts.consentLog(second.id)).toEqual([]);
      expect(await contacts.findIdByEmail(first.email)).toBe(first.id);
    });
  });

  describe('when a contact is updated', () => {
    it('writes the new version with its consent entries, events and messages', async () => {
      const contact = aContact();
      const requested = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
      await contacts.create({ contact, consent: requested, messages: [] });
      const confirmed = aConsentEntry(contact.id, { at: '2026-10-01T09:00:00.000Z', action: 'confirmed' });
      const changed = {
        ...contact,
        consent: { ...contact.consent, email: { status: 'subscribed' as const, changedAt: confirmed.at } },
        topics: ['newsletter'],
        pendingTopics: [],
        version: 2,
      };
      const welcome = aMessage(contact.id, { key: 'welcome#1', kind: 'marketing', templateId: 'welcome' });

      await contacts.update({
        contact: changed,
        expectedVersion: 1,
        consent: [confirmed],
        events: [
          { id: newId(), contactId: contact.id, type: 'signup_confirmed', at: confirmed.at, data: {} },
        ],
        messages: [welcome],
      });

      expect(await contacts.get(contact.id)).toEqual(changed);
      expect(
        await new DynamoOutbox(table.documentClient, table.tableName).get(contact.id, 'welcome#1'),
      ).toEqual(welcome);
    });

    it('rejects a write based on a stale version with ConcurrentUpdateError and keeps the stored one', async () => {
      const contact = aContact();
      await contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
      await contacts.update({
        contact: { ...contact, name: 'First writer', version: 2 },
        expectedVersion: 1,
        consent: [],
        events: [],
        messages: [],
      });

      await expect(
        contacts.update({
          contact: { ...contact, name: 'Second writer', version: 2 },
          expectedVersion: 1,
          consent: [aConsentEntry(contact.id, { action: 'confirmed' })],
          events: [],
          messages: [],
        }),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);

      expect(await contacts.get(contact.id)).toMatchObject({ name: 'First writer', version: 2 });
      expect(await contacts.consentLog(contact.id)).toHaveLength(1);
    });

    it('refuses a new state whose version is not the expected one plus one', async () => {
      const contact = aContact();
      await contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });

      await expect(
        contacts.update({
          contact: { ...contact, version: 5 },
          expectedVersion: 1,
          consent: [],
          events: [],
          messages: [],
        }),
      ).rejects.toThrow(/version 2/);
    });
  });

  describe('the consent log', () => {
    it('lists entries oldest first, whatever order they were written in', async () => {
      const contact = aContact();
      const signup = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
      await contacts.create({ contact, consent: signup, messages: [] });
      const unsubscribed = aConsentEntry(contact.id, {
        at: '2026-12-24T10:00:00.000Z',
        action: 'unsubscribed',
      });
      const confirmed = aConsentEntry(contact.id, { at: '2026-10-02T08:00:00.000Z', action: 'confirmed' });

      await contacts.update({
        contact: { ...contact, version: 2 },
        expectedVersion: 1,
        consent: [unsubscribed, confirmed],
        events: [],
        messages: [],
      });

      expect((await contacts.consentLog(contact.id)).map((entry) => entry.action)).toEqual([
        'requested',
        'confirmed',
        'unsubscribed',
      ]);
    });
  });
});
