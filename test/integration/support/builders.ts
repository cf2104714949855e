import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import type { ConsentEntry } from '../../../lib/domain/consent-entry.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { Enrollment } from '../../../lib/domain/enrollment.js';
import type { Message } from '../../../lib/domain/message.js';
import type { NewContact } from '../../../lib/ports/contact-store.js';

const ids = new UlidIdGenerator();

/** A fresh ULID, for ids the test does not care about. */
export const newId = (): string => ids.next();

export const aContact = (overrides: Partial<Contact> = {}): Contact => {
  const at = '2026-10-01T08:00:00.000Z';
  return {
    id: newId(),
    email: `${newId().toLowerCase()}@example.com`,
    consent: { email: { status: 'pending', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: [],
    pendingTopics: ['newsletter'],
    attributes: {},
    acquisition: { form: 'newsletter', at },
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
};

export const aConsentEntry = (contactId: string, overrides: Partial<ConsentEntry> = {}): ConsentEntry => ({
  id: newId(),
  contactId,
  at: '2026-10-01T08:00:00.000Z',
  channel: 'email',
  action: 'requested',
  topics: ['newsletter'],
  source: { kind: 'signup-form', form: 'newsletter', ip: '192.0.2.1' },
  wordingVersion: 'v1',
  ...overrides,
});

export const aMessage = (contactId: string, overrides: Partial<Message> = {}): Message => ({
  contactId,
  key: `confirm#${newId()}`,
  channel: 'email',
  kind: 'transactional',
  templateId: 'confirm',
  status: 'queued',
  createdAt: '2026-10-01T08:00:00.000Z',
  attempts: 0,
  ...overrides,
});

export const anEnrollment = (contactId: string, overrides: Partial<Enrollment> = {}): Enrollment => ({
  id: newId(),
  contactId,
  journeyId: 'welcome',
  journeyVersion: 1,
  status: 'active',
  group: 'treatment',
  currentNode: 'hello',
  visits: { hello: 1 },
  triggerEventId: newId(),
  enteredAt: '2026-10-02T08:00:00.000Z',
  updatedAt: '2026-10-02T08:00:00.000Z',
  version: 1,
  ...overrides,
});

/**
 * What the contact store is given when someone signs up: the contact, the bare
 * email consent request that comes with it, and any messages queued alongside.
 */
export const aSignup = (contact: Contact, messages: Message[] = []): NewContact => ({
  contact,
  consent: {
    id: newId(),
    contactId: contact.id,
    at: contact.createdAt,
    channel: 'email',
    action: 'requested',
    topics: [],
    source: { kind: 'signup-form' },
  },
  messages,
});
