import { UlidIdGenerator } from '../../lib/adapters/system/ulid-id-generator.js';
import type { ConsentEntry } from '../../lib/domain/consent-entry.js';
import type { Contact } from '../../lib/domain/contact.js';
import type { Enrollment } from '../../lib/domain/enrollment.js';
import type { Message } from '../../lib/domain/message.js';
import { type OutboundEvent, outboundEventSource } from '../../lib/domain/outbound-event.js';
import type { NewContact } from '../../lib/ports/contact-store.js';

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

/** A pending event as an emit_event node leaves it, with an id shaped like the engine's. */
export const anOutboundEvent = (contactId: string, overrides: Partial<OutboundEvent> = {}): OutboundEvent => {
  const enrollmentId = newId();
  return {
    id: `vip#${enrollmentId}#reached#1`,
    contactId,
    source: outboundEventSource,
    detailType: 'VIP Reached',
    detail: { contactId, tier: 'gold', total: 1250.5, topics: ['newsletter'] },
    journeyId: 'vip',
    enrollmentId,
    nodeId: 'reached',
    status: 'pending',
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
};

const subscribedAt = '2026-10-01T08:00:00.000Z';

/** A contact subscribed to email (newsletter) and, with a phone, to SMS. */
export const aSubscribedContact = (overrides: Partial<Contact> = {}): Contact =>
  aContact({
    consent: {
      email: { status: 'subscribed', changedAt: subscribedAt },
      sms: { status: overrides.phone === undefined ? 'none' : 'subscribed', changedAt: subscribedAt },
    },
    topics: ['newsletter'],
    pendingTopics: [],
    ...overrides,
  });

export const aJourneyMessage = (contactId: string, overrides: Partial<Message> = {}): Message => ({
  contactId,
  key: `welcome#${newId()}#hello#1`,
  channel: 'email',
  kind: 'marketing',
  templateId: 'news',
  journeyId: 'welcome',
  nodeId: 'hello',
  status: 'queued',
  createdAt: subscribedAt,
  attempts: 0,
  ...overrides,
});

export const anSmsMessage = (contactId: string, overrides: Partial<Message> = {}): Message =>
  aJourneyMessage(contactId, {
    key: `reminder#${newId()}#text#1`,
    channel: 'sms',
    templateId: 'text',
    smsBody: 'Hi {{ contact.name | default: "there" }}, your ink is running low.',
    journeyId: 'reminder',
    nodeId: 'text',
    ...overrides,
  });

/** A shop's Segment call for Ann's 1,200 EUR copier, as ingestion receives it. */
export const copierOrder = (messageId: string, orderId = 'A-1') => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'shop-42',
  email: 'Ann@Example.com',
  messageId,
  timestamp: '2026-11-20T10:00:00Z',
  properties: {
    order_id: orderId,
    total: 1200,
    currency: 'EUR',
    products: [{ sku: 'COPIER-9', price: 1200 }],
  },
});
