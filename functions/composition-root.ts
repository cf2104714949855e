import type { DamageReporter } from '../lib/adapters/dynamodb/damaged-items.js';
import { createDocumentClient } from '../lib/adapters/dynamodb/document-client.js';
import { DynamoApiKeyStore } from '../lib/adapters/dynamodb/dynamo-api-key-store.js';
import { DynamoCatalogStore } from '../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactEventLog } from '../lib/adapters/dynamodb/dynamo-contact-event-log.js';
import { DynamoContactStore } from '../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoDeliveryPolicyStore } from '../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import { DynamoEnrollmentStore } from '../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoIngestionStore } from '../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoJourneyJobStore } from '../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOrderLog } from '../lib/adapters/dynamodb/dynamo-order-log.js';
import { DynamoOutboundEventStore } from '../lib/adapters/dynamodb/dynamo-outbound-event-store.js';
import { DynamoOutbox } from '../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoPersonalDataStore } from '../lib/adapters/dynamodb/dynamo-personal-data-store.js';
import { DynamoStatsStore } from '../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../lib/adapters/dynamodb/dynamo-timer-store.js';
import { EventBridgePublisher } from '../lib/adapters/eventbridge/eventbridge-publisher.js';
import { loadTokenKeys } from '../lib/adapters/secrets/token-keys-source.js';
import { SesMailer } from '../lib/adapters/ses/ses-mailer.js';
import { SnsTexter } from '../lib/adapters/sns/sns-texter.js';
import { RandomSecretGenerator } from '../lib/adapters/system/random-secret-generator.js';
import { SystemClock } from '../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../lib/adapters/system/ulid-id-generator.js';
import type { IngestDeps } from '../lib/app/ingest-events.js';
import { recommendationSource } from '../lib/app/recommend-for-contact.js';
import type { TokenKeys } from '../lib/config/runtime-env.js';
import { parseRuntimeEnv } from '../lib/config/runtime-env.js';
import { logger } from './middleware/observability.js';

/**
 * The one place where ports meet adapters for the Lambda runtime (in the cloud
 * and under the local runtime alike: only the environment differs). Built at cold
 * start; the environment is validated here and a bad one stops the function.
 */
export const env = parseRuntimeEnv(process.env);

const documentClient = createDocumentClient({
  region: env.AWS_REGION,
  ...(env.DYNAMODB_ENDPOINT === undefined ? {} : { endpoint: env.DYNAMODB_ENDPOINT }),
});

export const clock = new SystemClock();

/**
 * Settings that change rarely, read at most every `ms` on a warm instance;
 * a failed read is not kept, so the next call tries again.
 */
function readAtMostEvery<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let cache: { loadedAt: number; value: Promise<T> } | undefined;
  return () => {
    const now = clock.now().getTime();
    if (cache === undefined || now - cache.loadedAt >= ms) {
      const value = load().catch((error: unknown) => {
        cache = undefined;
        throw error;
      });
      cache = { loadedAt: now, value };
    }
    return cache.value;
  };
}
export const ids = new UlidIdGenerator();
/** Items an older bug stored damaged are read around, never silently: each is logged with its key. */
const reportDamage: DamageReporter = (damaged) => logger.warn('damaged item', { ...damaged });
export const contacts = new DynamoContactStore(documentClient, env.TABLE_NAME, reportDamage);
export const suppressions = new DynamoSuppressionStore(documentClient, env.TABLE_NAME);
export const journeys = new DynamoJourneyStore(documentClient, env.TABLE_NAME);
export const enrollments = new DynamoEnrollmentStore(
  documentClient,
  env.TABLE_NAME,
  env.TIMER_SHARDS,
  reportDamage,
);
export const outbox = new DynamoOutbox(documentClient, env.TABLE_NAME);
export const templates = new DynamoTemplateStore(documentClient, env.TABLE_NAME);
export const stats = new DynamoStatsStore(documentClient, env.TABLE_NAME);
export const timers = new DynamoTimerStore(documentClient, env.TABLE_NAME, env.TIMER_SHARDS);
export const deliveryPolicies = new DynamoDeliveryPolicyStore(documentClient, env.TABLE_NAME);
export const journeyJobs = new DynamoJourneyJobStore(documentClient, env.TABLE_NAME);
export const catalog = new DynamoCatalogStore(documentClient, env.TABLE_NAME);
export const contactEvents = new DynamoContactEventLog(documentClient, env.TABLE_NAME);
export const apiKeys = new DynamoApiKeyStore(documentClient, env.TABLE_NAME);
export const secrets = new RandomSecretGenerator();
export const ingestionStore = new DynamoIngestionStore(documentClient, env.TABLE_NAME);
export const clicks = new DynamoClickLog(documentClient, env.TABLE_NAME);
export const customerValue = new DynamoCustomerValueStore(documentClient, env.TABLE_NAME);

/** The RFM cuts change once a day; each ingest instance reads them at most every five minutes. */
const cachedCustomerValue = { thresholds: readAtMostEvery(5 * 60_000, () => customerValue.thresholds()) };
export const coPurchases = new DynamoCoPurchaseStore(documentClient, env.TABLE_NAME);
export const recommendations = recommendationSource({ catalog, coPurchases, contacts });

/** What ingestion needs, in one place for the HTTP function and the EventBridge rule's function. */
export const ingestDeps = (): IngestDeps => ({
  store: ingestionStore,
  clicks,
  messages: outbox,
  stats,
  customerValue: cachedCustomerValue,
  coPurchases,
  contacts,
  catalog,
  clock,
  ids,
  settings: {
    messageDedupeDays: env.DEDUPE_MESSAGE_DAYS,
    orderDedupeDays: env.DEDUPE_ORDER_DAYS,
    attributionWindowDays: env.ATTRIBUTION_WINDOW_DAYS,
    timestampWindow: { earliest: env.EVENT_TIMESTAMP_EARLIEST, aheadHours: env.EVENT_TIMESTAMP_AHEAD_HOURS },
  },
});
export const outboundEvents = new DynamoOutboundEventStore(documentClient, env.TABLE_NAME);
/** Export and erasure of everything held about one person. */
export const personalData = new DynamoPersonalDataStore(documentClient, env.TABLE_NAME);
/** Orders by the day they were placed, for the orders-by-source report. */
export const orderLog = new DynamoOrderLog(documentClient, env.TABLE_NAME, reportDamage);

let mailerInstance: SesMailer | undefined;
/** Only the deliver function sends mail; the others never build an SES client. */
export const mailer = (): SesMailer => {
  mailerInstance ??= new SesMailer({
    region: env.AWS_REGION,
    ...(env.SES_ENDPOINT === undefined ? {} : { endpoint: env.SES_ENDPOINT }),
    ...(env.SES_CONFIGURATION_SET === undefined ? {} : { configurationSetName: env.SES_CONFIGURATION_SET }),
  });
  return mailerInstance;
};

let texterInstance: SnsTexter | undefined;
/** Only the deliver function texts; the others never build an SNS client. */
export const texter = (): SnsTexter => {
  texterInstance ??= new SnsTexter({
    region: env.AWS_REGION,
    ...(env.SNS_ENDPOINT === undefined ? {} : { endpoint: env.SNS_ENDPOINT }),
  });
  return texterInstance;
};

let eventPublisherInstance: EventBridgePublisher | undefined;
/** Only publish-events puts events on the bus; the others never build an EventBridge client. */
export const eventPublisher = (): EventBridgePublisher => {
  eventPublisherInstance ??= new EventBridgePublisher({
    region: env.AWS_REGION,
    eventBusName: env.EVENT_BUS_NAME,
    ...(env.EVENTBRIDGE_ENDPOINT === undefined ? {} : { endpoint: env.EVENTBRIDGE_ENDPOINT }),
  });
  return eventPublisherInstance;
};

/** The delivery policy the seed-content deployment published; a new one takes effect within five minutes. */
export const deliveryPolicy = readAtMostEvery(5 * 60_000, () => deliveryPolicies.get());

let tokenKeysPromise: Promise<TokenKeys> | undefined;
/** Fetched once per instance; a failed fetch is not cached, so the next invocation tries again. */
export const tokenKeys = (): Promise<TokenKeys> => {
  tokenKeysPromise ??= loadTokenKeys(env).catch((error: unknown) => {
    tokenKeysPromise = undefined;
    throw error;
  });
  return tokenKeysPromise;
};
