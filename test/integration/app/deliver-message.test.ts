import { beforeEach, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { DynamoCampaignStore } from '../../../lib/adapters/dynamodb/dynamo-campaign-store.js';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoRateLimiter } from '../../../lib/adapters/dynamodb/dynamo-rate-limiter.js';
import { DynamoSendingStateStore } from '../../../lib/adapters/dynamodb/dynamo-sending-state-store.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { SesMailer } from '../../../lib/adapters/ses/ses-mailer.js';
import { SystemClock } from '../../../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { type DeliverDeps, deliverMessage } from '../../../lib/app/deliver-message.js';
import { recommendationSource } from '../../../lib/app/recommend-for-contact.js';
import { TokenKeys } from '../../../lib/config/runtime-env.js';
import { timing } from '../../../lib/config/timing.js';
import { newSesAccountSendRate } from '../../../lib/domain/campaign.js';
import type { Message } from '../../../lib/domain/message.js';
import { renderPublishedEmail } from '../../../lib/templates/render-compiled-email.js';
import { aContact, aMessage, aSignup } from '../support/builders.js';
import { readSesStore } from '../support/ses-store.js';
import { createTestTable } from '../support/table.js';
import '../support/provided-context.js';
import { publishCompiled } from '../../support/publish-compiled.js';

interface World {
  deps: DeliverDeps;
  outbox: DynamoOutbox;
  sentTo(address: string): Promise<number>;
  queue(message: Message): Promise<void>;
}

const createWorld = async (settings: { claimLeaseMs: number; maxClaimWaitMs: number }): Promise<World> => {
  const { tableName, documentClient } = await createTestTable();
  const contacts = new DynamoContactStore(documentClient, tableName);
  const outbox = new DynamoOutbox(documentClient, tableName);
  const sendingState = new DynamoSendingStateStore(documentClient, tableName);
  const templates = new DynamoTemplateStore(documentClient, tableName);
  await publishCompiled(
    templates,
    {
      id: 'confirm',
      kind: 'transactional',
      subject: 'Confirm',
      text: 'Confirm: {{ links.confirm }}',
      mjml: '<mj-text>Confirm</mj-text>',
    },
    new Date(),
  );
  const sesEndpoint = inject('sesEndpoint');
  const deps: DeliverDeps = {
    recommendations: recommendationSource({
      catalog: new DynamoCatalogStore(documentClient, tableName),
      coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
      contacts,
    }),
    outbox,
    contacts,
    suppressions: new DynamoSuppressionStore(documentClient, tableName),
    templates,
    journeys: new DynamoJourneyStore(documentClient, tableName),
    campaigns: new DynamoCampaignStore(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    mailer: new SesMailer({ region: localRegion, endpoint: sesEndpoint, credentials: localCredentials }),
    texter: {
      send: () => Promise.reject(new Error('these tests send email only')),
      isOptedOut: () => Promise.reject(new Error('these tests send email only')),
      spendLimitReached: () => Promise.reject(new Error('these tests send email only')),
    },
    deferrals: new DynamoTimerStore(documentClient, tableName, 2),
    rateLimiter: new DynamoRateLimiter(documentClient, tableName),
    clock: new SystemClock(),
    ids: new UlidIdGenerator(),
    render: renderPublishedEmail,
    policy: async () => undefined,
    sendingState: () => sendingState.get(),
    settings: {
      publicBaseUrl: 'http://rapport.test',
      tokenKeys: TokenKeys.parse({ current: 'k1', k1: 'k'.repeat(40) }),
      tokenTtlDays: 90,
      sender: 'Rapport <hello@rapport.test>',
      postalAddress: '1 Test Street',
      defaultTimeZone: 'UTC',
      emailSendRate: newSesAccountSendRate,
      smsSendRate: newSesAccountSendRate,
      sendWaitMs: timing.deliver.sendWaitMs,
      sms: { marketingType: 'Promotional', transactionalType: 'Transactional' },
      ...settings,
    },
  };
  return {
    deps,
    outbox,
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

/**
 * Delivery where DynamoDB and SES are under test: a lease that lapses in real
 * time, and two deliveries racing for one claim. The rest of delivery runs on
 * the memory adapters in test/unit/app/deliver-message.test.ts.
 */
describe('delivering an outbox message', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld({ claimLeaseMs: 400, maxClaimWaitMs: 1_000 });
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
