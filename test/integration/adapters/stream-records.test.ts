import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import {
  decodeContactEvent,
  decodeMessageRef,
  UndecodableRecordError,
} from '../../../lib/adapters/dynamodb/stream-records.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { aConsentEntry, aContact, aMessage, newId } from '../support/builders.js';
import { readStreamRecords } from '../support/stream.js';
import { createTestTable, type TestTable } from '../support/table.js';

let table: TestTable;
let records: DynamoDBRecord[];
const contact = aContact();
const message = aMessage(contact.id, { key: 'enrollment-1#hello#1' });
const event: ContactEvent = {
  id: newId(),
  contactId: contact.id,
  type: 'signup_confirmed',
  at: '2026-11-23T10:00:00.000Z',
  data: { topics: ['newsletter'], form: 'footer', score: 3, vip: true, note: null },
};

const sortKeyOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.SK?.S;

beforeAll(async () => {
  table = await createTestTable({ stream: true });
  const contacts = new DynamoContactStore(table.documentClient, table.tableName);
  await contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
  await contacts.update({
    contact: { ...contact, version: 2 },
    expectedVersion: 1,
    consent: [],
    events: [event],
    messages: [message],
  });
  records = await readStreamRecords(table);
});

describe('decoding stream records of the table', () => {
  it('turns the INSERT of an event item back into the contact event', () => {
    const inserted = records.find((record) => sortKeyOf(record)?.startsWith('EV#'));

    expect(inserted).toBeDefined();
    expect(decodeContactEvent(inserted ?? {})).toEqual(event);
  });

  it('finds the message a message record points at', () => {
    const inserted = records.find((record) => sortKeyOf(record)?.startsWith('MSG#'));

    expect(decodeMessageRef(inserted ?? {})).toEqual({ contactId: contact.id, key: message.key });
  });

  it('refuses a record of another kind of item as an event', () => {
    const profile = records.find((record) => sortKeyOf(record) === 'PROFILE');

    expect(profile).toBeDefined();
    expect(() => decodeContactEvent(profile ?? {})).toThrow(UndecodableRecordError);
    expect(() => decodeMessageRef(profile ?? {})).toThrow(UndecodableRecordError);
  });

  it('refuses a record without an image or keys', () => {
    expect(() => decodeContactEvent({ eventID: '1', eventName: 'REMOVE', dynamodb: {} })).toThrow(
      UndecodableRecordError,
    );
    expect(() => decodeMessageRef({ eventID: '1', dynamodb: {} })).toThrow(UndecodableRecordError);
  });
});
