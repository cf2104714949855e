import type { DamageReporter } from '../lib/adapters/dynamodb/damaged-items.js';
import { createDocumentClient } from '../lib/adapters/dynamodb/document-client.js';
import { DynamoApiKeyStore } from '../lib/adapters/dynamodb/dynamo-api-key-store.js';
import { DynamoAuditLog } from '../lib/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoCampaignGoalStore } from '../lib/adapters/dynamodb/dynamo-campaign-goal-store.js';
import {
  DynamoCampaignAudienceStore,
  DynamoCampaignStore,
} from '../lib/adapters/dynamodb/dynamo-campaign-store.js';
import { DynamoCatalogStore } from '../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactEventLog } from '../lib/adapters/dynamodb/dynamo-contact-event-log.js';
import { DynamoContactStore } from '../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoDeadLetterStore } from '../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { DynamoDeliveryPolicyStore } from '../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import { DynamoEnrollmentStore } from '../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoIngestionStore } from '../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoJourneyJobStore } from '../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOrderLog } from '../lib/adapters/dynamodb/dynamo-order-log.js';
import { DynamoOutboundEventStore } from '../lib/adapters/dynamodb/dynamo-outbound-event-store.js';
import { DynamoOutbox } from '../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoPersonalDataStore } from '../lib/adapters/dynamodb/dynamo-personal-data-store.js';
import { DynamoRateLimiter } from '../lib/adapters/dynamodb/dynamo-rate-limiter.js';
import { DynamoSegmentMembershipStore } from '../lib/adapters/dynamodb/dynamo-segment-membership-store.js';
import { DynamoSegmentStore } from '../lib/adapters/dynamodb/dynamo-segment-store.js';
import { DynamoSendingStateStore } from '../lib/adapters/dynamodb/dynamo-sending-state-store.js';
import { DynamoSoftBounceLog } from '../lib/adapters/dynamodb/dynamo-soft-bounce-log.js';
import { DynamoStatsStore } from '../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../lib/adapters/dynamodb/dynamo-timer-store.js';
import { DynamoStreamRangeReader } from '../lib/adapters/dynamodb/stream-range-reader.js';
import { EventBridgePublisher } from '../lib/adapters/eventbridge/eventbridge-publisher.js';
import { LambdaFunctionInvoker } from '../lib/adapters/lambda/lambda-function-invoker.js';
import {
  type SecretReader,
  secretsManagerReader,
  tokenKeysSource,
} from '../lib/adapters/secrets/token-keys-source.js';
import { SesMailer } from '../lib/adapters/ses/ses-mailer.js';
import { SnsTexter } from '../lib/adapters/sns/sns-texter.js';
import { SqsDeadLetterQueues } from '../lib/adapters/sqs/sqs-dead-letter-queues.js';
import { RandomSecretGenerator } from '../lib/adapters/system/random-secret-generator.js';
import { SystemClock } from '../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../lib/adapters/system/ulid-id-generator.js';
import type { IngestDeps } from '../lib/app/ingest-events.js';
import { recommendationSource } from '../lib/app/recommend-for-contact.js';
import { readAtMostEvery } from '../lib/config/read-at-most-every.js';
import type { RuntimeEnv } from '../lib/config/runtime-env.js';
import { timing } from '../lib/config/timing.js';
import type { Clock } from '../lib/ports/clock.js';
import type { FunctionInvoker } from '../lib/ports/function-invoker.js';
import { topicLabelsOf } from '../lib/templates/topic-label.js';
import { logger } from './middleware/observability.js';

/** What a test may put in place of the real thing; everything else is built from the environment. */
export interface DependencyOverrides {
  clock?: Clock;
  /** Where the link-signing keys' secret is read; Secrets Manager by default. */
  readSecret?: SecretReader;
  /** The table's client: a benchmark's, which meters what every request consumes. */
  documentClient?: ReturnType<typeof createDocumentClient>;
  /** Where a redrive hands a record back: the local runtime's own functions instead of Lambda's Invoke. */
  functions?: FunctionInvoker;
}

/** Built on first use and kept: only the functions that need a client ever build it. */
const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
};

/**
 * The one place where ports meet adapters, for the Lambda runtime in the cloud and
 * the local runtime alike: a function of the parsed environment, with no side
 * effects until a client is used. Settings that change rarely are read through
 * one cache (readAtMostEvery), with the ages in lib/config/timing.ts. Which
 * environment a handler gets, and when it is built, is functions/dependencies.ts.
 */
export const createDependencies = (env: RuntimeEnv, overrides: DependencyOverrides = {}) => {
  const credentials =
    env.AWS_ACCESS_KEY_ID === undefined || env.AWS_SECRET_ACCESS_KEY === undefined
      ? undefined
      : {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN === undefined ? {} : { sessionToken: env.AWS_SESSION_TOKEN }),
        };
  const connection = (endpoint: string | undefined) => ({
    region: env.AWS_REGION,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  const documentClient = overrides.documentClient ?? createDocumentClient(connection(env.DYNAMODB_ENDPOINT));
  const table = env.TABLE_NAME;
  const clock = overrides.clock ?? new SystemClock();
  const ids = new UlidIdGenerator();
  /** Items an older bug stored damaged are read around, never silently: each is logged with its key. */
  const reportDamage: DamageReporter = (damaged) => logger.warn('damaged item', { ...damaged });

  const contacts = new DynamoContactStore(documentClient, table, reportDamage);
  const outbox = new DynamoOutbox(documentClient, table);
  const campaigns = new DynamoCampaignStore(documentClient, table);
  const stats = new DynamoStatsStore(documentClient, table);
  const catalog = new DynamoCatalogStore(documentClient, table);
  const coPurchases = new DynamoCoPurchaseStore(documentClient, table);
  const customerValue = new DynamoCustomerValueStore(documentClient, table);
  const deliveryPolicies = new DynamoDeliveryPolicyStore(documentClient, table);
  const sendingState = new DynamoSendingStateStore(documentClient, table);
  const clicks = new DynamoClickLog(documentClient, table);
  const ingestionStore = new DynamoIngestionStore(documentClient, table);
  const liveSegmentSource = new DynamoSegmentStore(documentClient, table);
  const readTokenKeys = tokenKeysSource(
    env,
    overrides.readSecret ?? secretsManagerReader(connection(env.SECRETS_ENDPOINT)),
  );

  /** What ingestion needs, in one place for the HTTP function and the EventBridge rule's function. */
  const ingestDeps: IngestDeps = {
    store: ingestionStore,
    clicks,
    messages: outbox,
    stats,
    customerValue: {
      thresholds: readAtMostEvery(
        timing.settings.rfmThresholdsMaxAgeMs,
        () => customerValue.thresholds(),
        clock,
      ),
      cycles: readAtMostEvery(timing.settings.rfmThresholdsMaxAgeMs, () => customerValue.cycles(), clock),
    },
    coPurchases,
    contacts,
    catalog,
    clock,
    ids,
    settings: {
      messageDedupeDays: env.DEDUPE_MESSAGE_DAYS,
      orderDedupeDays: env.DEDUPE_ORDER_DAYS,
      attributionWindowDays: env.ATTRIBUTION_WINDOW_DAYS,
      defaultCurrency: env.DEFAULT_CURRENCY,
      timestampWindow: {
        earliest: env.EVENT_TIMESTAMP_EARLIEST,
        aheadHours: env.EVENT_TIMESTAMP_AHEAD_HOURS,
      },
    },
  };

  return {
    env,
    clock,
    ids,
    contacts,
    outbox,
    stats,
    catalog,
    coPurchases,
    customerValue,
    deliveryPolicies,
    /** Whether marketing email is paused, and by what. */
    sendingState,
    clicks,
    ingestDeps,
    suppressions: new DynamoSuppressionStore(documentClient, table),
    /** Soft bounces per email address, counted toward a temporary suppression. */
    softBounces: new DynamoSoftBounceLog(documentClient, table),
    journeys: new DynamoJourneyStore(documentClient, table),
    enrollments: new DynamoEnrollmentStore(documentClient, table, env.TIMER_SHARDS, reportDamage),
    templates: new DynamoTemplateStore(documentClient, table),
    timers: new DynamoTimerStore(documentClient, table, env.TIMER_SHARDS),
    journeyJobs: new DynamoJourneyJobStore(documentClient, table),
    contactEvents: new DynamoContactEventLog(documentClient, table),
    apiKeys: new DynamoApiKeyStore(documentClient, table),
    /** Every change made through the admin API, written by the HTTP chain. */
    audit: new DynamoAuditLog(documentClient, table),
    /** What failed for good, kept until a redrive succeeds (docs/operations.md, Dead letters). */
    deadLetters: new DynamoDeadLetterStore(documentClient, table),
    /** Only a redrive hands records back to functions; the others never build a Lambda client. */
    functions: once(
      (): FunctionInvoker =>
        overrides.functions ??
        new LambdaFunctionInvoker({ ...connection(undefined), functionNames: env.FUNCTION_NAMES }),
    ),
    /** Only the intake reads the SQS dead-letter queues. */
    deadLetterQueues: once(() => new SqsDeadLetterQueues(connection(undefined))),
    /** Only the intake reads the table's stream, for a failed batch's records. */
    streamRanges: once(() => new DynamoStreamRangeReader(connection(env.DYNAMODB_ENDPOINT))),
    secrets: new RandomSecretGenerator(),
    outboundEvents: new DynamoOutboundEventStore(documentClient, table),
    /** Export and erasure of everything held about one person. */
    personalData: new DynamoPersonalDataStore(documentClient, table),
    /** Fixed-window counters every instance shares (signups per IP and per form). */
    rateLimiter: new DynamoRateLimiter(documentClient, table),
    /** Orders by the day they were placed, for the orders-by-source report. */
    orderLog: new DynamoOrderLog(documentClient, table, reportDamage),
    recommendations: recommendationSource({ catalog, coPurchases, contacts }),
    /** Saved audience segments. */
    segments: new DynamoSegmentStore(documentClient, table),
    /** Which live segments each contact is in. */
    segmentMemberships: new DynamoSegmentMembershipStore(documentClient, table),
    /** Read on every contact change, so kept a minute: a segment saved or made live takes effect within it. */
    liveSegments: readAtMostEvery(
      timing.settings.liveSegmentsMaxAgeMs,
      () => liveSegmentSource.live(),
      clock,
    ),
    /** Campaigns, and their frozen audiences. */
    campaigns,
    campaignAudience: new DynamoCampaignAudienceStore(documentClient, table),
    /** Every campaign, kept a minute: whether any measures a goal, asked on every contact event. */
    campaignList: readAtMostEvery(timing.settings.campaignListMaxAgeMs, () => campaigns.list(), clock),
    /** The recipients' goals, read by contact on each event. */
    campaignGoals: new DynamoCampaignGoalStore(documentClient, table, reportDamage),
    topicLabels: topicLabelsOf(env.TOPICS),
    /** Only deliver sends mail; the others never build an SES client. */
    mailer: once(
      () =>
        new SesMailer({
          ...connection(env.SES_ENDPOINT),
          ...(env.SES_CONFIGURATION_SET === undefined
            ? {}
            : { configurationSetName: env.SES_CONFIGURATION_SET }),
        }),
    ),
    /** Only deliver texts; the others never build an SNS client. */
    // The month's SMS spend is read in AWS only: the local endpoint charges nothing and has no limit.
    texter: once(
      () => new SnsTexter({ ...connection(env.SNS_ENDPOINT), watchSpend: env.SNS_ENDPOINT === undefined }),
    ),
    /** Only publish-events puts events on the bus; the others never build an EventBridge client. */
    eventPublisher: once(
      () =>
        new EventBridgePublisher({
          ...connection(env.EVENTBRIDGE_ENDPOINT),
          eventBusName: env.EVENT_BUS_NAME,
        }),
    ),
    /** The delivery policy seed-content published; a new one takes effect within its age. */
    deliveryPolicy: readAtMostEvery(
      timing.settings.deliveryPolicyMaxAgeMs,
      () => deliveryPolicies.get(),
      clock,
    ),
    /**
     * Read on every marketing email, uncached: one small read buys a pause that
     * holds the very next send, in every invocation at once.
     */
    sendingStateNow: () => sendingState.get(),
    /** Re-read at most every five minutes, so a rotation reaches every warm instance (docs/operations.md). */
    tokenKeys: readAtMostEvery(timing.settings.tokenKeysMaxAgeMs, readTokenKeys, clock),
  };
};

export type Dependencies = ReturnType<typeof createDependencies>;
