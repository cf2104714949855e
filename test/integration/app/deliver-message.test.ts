import { beforeEach, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { SesMailer } from '../../../lib/adapters/ses/ses-mailer.js';
import { SystemClock } from '../../../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { type DeliverDeps, deliverMessage } from '../../../lib/app/deliver-message.js';
import { recommendationSource } from '../../../lib/app/recommend-for-contact.js';
import { TokenKeys } from '../../../lib/config/runtime-env.js';
import { MessageInFlightError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { Message } from '../../../lib/domain/message.js';
import type { Outbox } from '../../../lib/ports/outbox.js';
import { renderEmail } from '../../../lib/templates/render-email.js';
import { aContact, aMessage, aSignup } from '../support/builders.js';
import { readSesStore } from '../support/ses-store.js';
import { createTestTable } from '../support/table.js';
import '../support/provided-context.js';

interface World {
  deps: DeliverDeps;
  outbox: DynamoOutbox;
  /** Makes the next markSent fail after SES has accepted the mail. */
  failNextMarkSent(): void;
  sentTo(address: string): Promise<number>;
  queue(message: Message): Promise<void>;
  /** The events written under the contact, as the journeys function would receive them. */
  eventsOf(contactId: string): Promise<Array<Record<string, unknown>>>;
}

const createWorld = async (settings: { claimLeaseMs: number; maxClaimWaitMs: number }): Promise<World> => {
  const { tableName, documentClient } = await createTestTable();
  const contacts = new DynamoContactStore(documentClient, tableName);
  const outbox = new DynamoOutbox(documentClient, tableName);
  const templates = new DynamoTemplateStore(documentClient, tableName);
  await templates.publish(
    {
      id: 'confirm',
      kind: 'transactional',
      subject: 'Confirm',
      text: 'Confirm: {{ links.confirm }}',
      mjml: '<mj-text>Confirm</mj-text>',
    },
    new Date(),
  );
  let failMarkSent = false;
  const flakyOutbox: Outbox = {
    get: (contactId, key) => outbox.get(contactId, key),
    claim: (contactId, key, now, leaseMs) => outbox.claim(contactId, key, now, leaseMs),
    markSent: async (contactId, key, outcome) => {
      if (failMarkSent) {
        failMarkSent = false;
        throw new Error('the table is unreachable');
      }
      await outbox.markSent(contactId, key, outcome);
    },
    markSkipped: (contactId, key, reason, event) => outbox.markSkipped(contactId, key, reason, event),
    markFailed: (contactId, key, error) => outbox.markFailed(contactId, key, error),
    markDeferred: (contactId, key, deferral) => outbox.markDeferred(contactId, key, deferral),
    sentSince: (contactId, channel, since) => outbox.sentSince(contactId, channel, since),
    release: (contactId, key) => outbox.release(contactId, key),
  };
  const sesEndpoint = inject('sesEndpoint');
  const deps: DeliverDeps = {
    recommendations: recommendationSource({
      catalog: new DynamoCatalogStore(documentClient, tableName),
      coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
      contacts,
    }),
    outbox: flakyOutbox,
    contacts,
    suppressions: new DynamoSuppressionStore(documentClient, tableName),
    templates,
    journeys: new DynamoJourneyStore(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    mailer: new SesMailer({ region: localRegion, endpoint: sesEndpoint, credentials: localCredentials }),
    texter: {
      send: () => Promise.reject(new Error('these tests send email only')),
      isOptedOut: () => Promise.reject(new Error('these tests send email only')),
    },
    deferrals: new DynamoTimerStore(documentClient, tableName, 2),
    clock: new SystemClock(),
    ids: new UlidIdGenerator(),
    render: renderEmail,
    policy: async () => undefined,
    settings: {
      publicBaseUrl: 'http://rapport.test',
      tokenKeys: TokenKeys.parse({ current: 'k1', k1: 'k'.repeat(40) }),
      tokenTtlDays: 90,
      sender: 'Rapport <hello@rapport.test>',
      postalAddress: '1 Test Street',
      defaultTimeZone: 'UTC',
      sms: { marketingType: 'Promotional', transactionalType: 'Transactional' },
      ...settings,
    },
  };
  return {
    deps,
    outbox,
    failNextMarkSent: () => {
      failMarkSent = true;
    },
    eventsOf: (contactId) =>
      queryAll(documentClient, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': keys.eventPrefix },
      }),
    sentTo: async (address) =>
      (await readSesStore(sesEndpoint)).filter((email) => email.destination.to.includes(address)).length,
    queue: async (message) => {
      const contact = aContact({
        id: message.contactId,
        email: `${message.contactId.toLowerCase()}@example.com`,
      });
      await contacts.create(aSignup(contact, [message]));
    },
  };
};

describe('delivering an outbox message', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld({ claimLeaseMs: 400, maxClaimWaitMs: 1_000 });
  });

  describe('when recording the send fails after SES accepted the mail', () => {
    it('keeps the claim, so the redelivered record does not send it again', async () => {
      // A lease far longer than a slow first render: this test is about the claim held, not about it lapsing.
      world = await createWorld({ claimLeaseMs: 60_000, maxClaimWaitMs: 1_000 });
      const message = aMessage('MARKSENT1');
      await world.queue(message);
      world.failNextMarkSent();

      await expect(deliverMessage(world.deps, message)).rejects.toThrow('the table is unreachable');
      // The redelivery comes at once, while the claim is held: it must not send.
      const strictDeps = { ...world.deps, settings: { ...world.deps.settings, maxClaimWaitMs: 0 } };
      await expect(deliverMessage(strictDeps, message)).rejects.toBeInstanceOf(MessageInFlightError);

      expect(await world.sentTo('marksent1@example.com')).toBe(1);
      expect((await world.outbox.get(message.contactId, message.key))?.status).toBe('sending');
    });
  });

  describe('when an invocation died holding the claim', () => {
    it('waits for the claim to lapse, then sends the message once', async () => {
      const message = aMessage('ABANDONED1');
      await world.queue(message);
      // A claim taken by an invocation that then timed out before calling SES.
      await world.outbox.claim(message.contactId, message.key, new Date(), 400);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
      expect(await world.sentTo('abandoned1@example.com')).toBe(1);
      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });
      expect(await world.sentTo('abandoned1@example.com')).toBe(1);
    });
  });

  describe('when a journey message is skipped', () => {
    it('tells the journey, once, which message and why', async () => {
      const message = aMessage('UNASKED1', {
        kind: 'marketing',
        templateId: 'news',
        journeyId: 'reminders',
        enrollmentId: 'order-1.0',
        nodeId: 'first-reminder',
        key: 'reminders#order-1.0#first-reminder#1',
      });
      await world.queue(message);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-subscribed',
      });
      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });

      expect(await world.eventsOf(message.contactId)).toEqual([
        expect.objectContaining({
          eventType: 'message_skipped',
          data: {
            journeyId: 'reminders',
            enrollmentId: 'order-1.0',
            nodeId: 'first-reminder',
            channel: 'email',
            templateId: 'news',
            reason: 'not-subscribed',
          },
        }),
      ]);
    });

    it('writes no event for a message no journey sent', async () => {
      const message = aMessage('NOJOURNEY1', { kind: 'marketing', templateId: 'news' });
      await world.queue(message);
      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-subscribed',
      });
      expect(await world.eventsOf(message.contactId)).toEqual([]);
    });
  });

  it('skips a message queued by a journey archived since', async () => {
    const journeys = world.deps.journeys;
    if (!(journeys instanceof DynamoJourneyStore)) throw new Error('expected the DynamoDB journey store');
    await journeys.publish(
      JourneyDefinition.parse({
        id: 'retired',
        name: 'Retired',
        trigger: { event: 'signup_confirmed' },
        start: 'x',
        nodes: [{ id: 'x', type: 'exit' }],
      }),
      new Date(),
    );
    await journeys.changeStatus('retired', 'active', 'archived');
    const message = aMessage('RETIRED1', { journeyId: 'retired', kind: 'transactional' });
    await world.queue(message);
    expect(await deliverMessage(world.deps, message)).toEqual({
      outcome: 'skipped',
      reason: 'journey-archived',
    });
    expect(await world.sentTo('retired1@example.com')).toBe(0);
  });

  describe('when its template renders more than the cap', () => {
    it('marks it failed, naming the field and the limit, and sends nothing', async () => {
      const templates = world.deps.templates;
      if (!(templates instanceof DynamoTemplateStore))
        throw new Error('expected the DynamoDB template store');
      const runaway =
        '{% for i in (1..5000) %}{% for j in (1..1000) %}<p>Buy now!</p>{% endfor %}{% endfor %}';
      await templates.publish(
        {
          id: 'runaway',
          kind: 'transactional',
          subject: 'Offers',
          text: 'Offers',
          mjml: `<mj-text>${runaway}</mj-text>`,
        },
        new Date(),
      );
      const message = aMessage('RUNAWAY1', { templateId: 'runaway' });
      await world.queue(message);

      const outcome = await deliverMessage(world.deps, message);

      const error = expect.stringMatching(/^render: template "runaway": mjml: renders to more than 256 KiB/);
      expect(outcome).toEqual({ outcome: 'failed', error });
      expect(await world.outbox.get(message.contactId, message.key)).toMatchObject({
        status: 'failed',
        error,
      });
      expect(await world.sentTo('runaway1@example.com')).toBe(0);
    });
  });

  it('sends a queued message once however often it is delivered', async () => {
    const message = aMessage('TWICE1');
    await world.queue(message);
    const outcomes = await Promise.all([
      deliverMessage(world.deps, message),
      deliverMessage(world.deps, message),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['duplicate', 'sent']);
    expect(await world.sentTo('twice1@example.com')).toBe(1);
  });
});
