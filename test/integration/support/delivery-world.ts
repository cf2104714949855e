import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import type { SnsLocal } from '../../../infra/local/sns-local.js';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { SesMailer } from '../../../lib/adapters/ses/ses-mailer.js';
import { SnsTexter } from '../../../lib/adapters/sns/sns-texter.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import type { DeliverDeps } from '../../../lib/app/deliver-message.js';
import { recommendationSource } from '../../../lib/app/recommend-for-contact.js';
import { TokenKeys } from '../../../lib/config/runtime-env.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { DeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import type { Message } from '../../../lib/domain/message.js';
import type { Clock } from '../../../lib/ports/clock.js';
import type { Texter } from '../../../lib/ports/texter.js';
import { renderEmail } from '../../../lib/templates/render-email.js';
import { aContact, aSignup, newId } from './builders.js';
import { createTestTable } from './table.js';

/** A clock the test sets; sleeping moves it on instead of waiting. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  async sleep(ms: number): Promise<void> {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface DeliveryWorld {
  deps: DeliverDeps;
  /** The world's table, for stores the world does not build itself. */
  table: { documentClient: DynamoDBDocumentClient; tableName: string };
  clock: TestClock;
  contacts: DynamoContactStore;
  outbox: DynamoOutbox;
  timers: DynamoTimerStore;
  suppressions: DynamoSuppressionStore;
  /** Replaces the policy deliver reads. */
  usePolicy(policy: DeliveryPolicy | undefined): void;
  /** Stores the contact with its messages (queued or already sent). */
  add(contact: Contact, messages: Message[]): Promise<void>;
}

export const timerShards = 2;

/**
 * deliverMessage wired to DynamoDB Local, the SES emulator and (when given) the
 * local SNS endpoint, on a fresh table, with a clock and a policy the test controls.
 */
export const createDeliveryWorld = async (
  options: { sns?: SnsLocal; texter?: (real: Texter) => Texter; now?: string } = {},
): Promise<DeliveryWorld> => {
  const { tableName, documentClient } = await createTestTable();
  const contacts = new DynamoContactStore(documentClient, tableName);
  const outbox = new DynamoOutbox(documentClient, tableName);
  const templates = new DynamoTemplateStore(documentClient, tableName);
  const timers = new DynamoTimerStore(documentClient, tableName, timerShards);
  const suppressions = new DynamoSuppressionStore(documentClient, tableName);
  const clock = new TestClock(new Date(options.now ?? '2026-11-23T12:00:00.000Z'));
  await templates.publish(
    {
      id: 'news',
      kind: 'marketing',
      subject: 'News',
      text: 'News. Unsubscribe: {{ links.unsubscribe }} Preferences: {{ links.preferences }} {{ postalAddress }}',
      mjml: '<mj-text>News</mj-text><mj-text><a href="{{ links.unsubscribe }}">Unsubscribe</a> <a href="{{ links.preferences }}">Preferences</a> {{ postalAddress }}</mj-text>',
    },
    clock.now(),
  );
  const realTexter: Texter =
    options.sns === undefined
      ? {
          send: () => Promise.reject(new Error('this world has no SMS endpoint')),
          isOptedOut: () => Promise.reject(new Error('this world has no SMS endpoint')),
        }
      : new SnsTexter({ region: localRegion, endpoint: options.sns.endpoint, credentials: localCredentials });
  let policy: DeliveryPolicy | undefined;
  const deps: DeliverDeps = {
    recommendations: recommendationSource({
      catalog: new DynamoCatalogStore(documentClient, tableName),
      coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
      contacts,
    }),
    outbox,
    contacts,
    suppressions,
    templates,
    journeys: new DynamoJourneyStore(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    mailer: new SesMailer({
      region: localRegion,
      endpoint: inject('sesEndpoint'),
      credentials: localCredentials,
    }),
    texter: options.texter === undefined ? realTexter : options.texter(realTexter),
    deferrals: timers,
    clock,
    ids: new UlidIdGenerator(),
    render: renderEmail,
    policy: async () => policy,
    settings: {
      publicBaseUrl: 'http://rapport.test',
      tokenKeys: TokenKeys.parse({ current: 'k1', k1: 'k'.repeat(40) }),
      tokenTtlDays: 90,
      sender: 'Rapport <hello@rapport.test>',
      postalAddress: '1 Test Street',
      defaultTimeZone: 'UTC',
      sms: { senderId: 'Rapport', marketingType: 'Promotional', transactionalType: 'Transactional' },
      claimLeaseMs: 40_000,
      maxClaimWaitMs: 0,
    },
  };
  return {
    deps,
    table: { documentClient, tableName },
    clock,
    contacts,
    outbox,
    timers,
    suppressions,
    usePolicy: (next) => {
      policy = next;
    },
    add: async (contact, messages) => {
      await contacts.create(aSignup(contact, messages));
    },
  };
};

const at = '2026-10-01T08:00:00.000Z';

/** A contact subscribed to email (newsletter) and, with a phone, to SMS. */
export const aSubscribedContact = (overrides: Partial<Contact> = {}): Contact =>
  aContact({
    consent: {
      email: { status: 'subscribed', changedAt: at },
      sms: { status: overrides.phone === undefined ? 'none' : 'subscribed', changedAt: at },
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
  createdAt: at,
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
