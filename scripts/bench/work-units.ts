import { availableParallelism, cpus, loadavg } from 'node:os';
import { GetItemCommand, QueryCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { signUpDependencies } from '../../functions/handler-dependencies.js';
import { confirmSubscription } from '../../lib/app/confirm-subscription.js';
import { ingestCall } from '../../lib/app/ingest-events.js';
import { signUp } from '../../lib/app/sign-up.js';
import { TokenKeys } from '../../lib/config/runtime-env.js';
import type { Enrollment } from '../../lib/domain/enrollment.js';
import { issueToken } from '../../lib/domain/tokens.js';
import { seededRandom } from '../demo/seeded-random.js';
import { type BenchOptions, type BenchResult, finish, isCommandLine, runAlone, sizeOf } from './bench-run.js';
import { numberFrom } from './bench-settings.js';
import { type CampaignMeasurement, measureCampaign, unitsPerRecipient } from './campaigns.js';
import { itemSize, total } from './capacity-meter.js';
import type { BenchProduct } from './ingestion.js';
import { benchTokenKeys, type Invocation, startUnitWorld, type UnitWorld } from './unit-world.js';

/**
 * Write units (and read units) per unit of work, each beside its floor: the
 * items that must change for that work and nothing else, at one write unit per
 * started KB of each (DynamoDB's standard write). The work is driven through
 * the real use cases and the deployment's wiring on DynamoDB Local
 * (unit-world.ts), the stream followed as Lambda follows it, and metered by
 * DynamoDB's documented rules (capacity-meter.ts). The campaign recipient is
 * the campaigns benchmark's own measurement, at a small size.
 *
 * Sizes: `tiny` (a smoke run) and `full`; BENCH_WU_CUSTOMERS, BENCH_WU_WELCOMES,
 * BENCH_WU_REMINDERS and BENCH_WU_CAMPAIGN_CONTACTS override them.
 */

interface Sizes {
  customers: number;
  welcomes: number;
  reminders: number;
  campaignContacts: number;
}

const sizesFor = (size: 'tiny' | 'full'): Sizes => {
  const base =
    size === 'tiny'
      ? { customers: 4, welcomes: 2, reminders: 2, campaignContacts: 200 }
      : { customers: 150, welcomes: 40, reminders: 20, campaignContacts: 20_000 };
  return {
    customers: numberFrom('BENCH_WU_CUSTOMERS', base.customers),
    welcomes: numberFrom('BENCH_WU_WELCOMES', base.welcomes),
    reminders: numberFrom('BENCH_WU_REMINDERS', base.reminders),
    campaignContacts: numberFrom('BENCH_WU_CAMPAIGN_CONTACTS', base.campaignContacts),
  };
};

// ---------------------------------------------------------------------------
// The shop

/** Books, consumables with a replacement cycle, other things: a smaller shop than ingestion.ts's, of the same kind. */
export const shop: readonly BenchProduct[] = [
  { sku: 'BOOK-CRIME-1', name: 'The Long Night', category: 'books/crime', price: 12.5 },
  { sku: 'BOOK-COOK-1', name: 'Soup Every Day', category: 'books/cooking', price: 24 },
  { sku: 'TONER-K', name: 'Black toner', category: 'toner', price: 79, replacementCycleDays: 120 },
  { sku: 'FILTER-W', name: 'Water filter', category: 'filters', price: 29, replacementCycleDays: 45 },
  { sku: 'PAPER-A4', name: 'Copy paper, 500 sheets', category: 'paper', price: 6.5 },
  { sku: 'PEN-BLUE', name: 'Blue pens, 10', category: 'stationery', price: 4.2 },
  { sku: 'NOTEBOOK-A5', name: 'Notebook A5', category: 'stationery', price: 7.8 },
  { sku: 'MUG', name: 'Mug', category: 'kitchen', price: 9.5 },
];

const productAt = (sku: string): BenchProduct => {
  const found = shop.find((product) => product.sku === sku);
  if (found === undefined) throw new Error(`no ${sku} in the shop`);
  return found;
};

const orderCall = (
  at: Date,
  index: string,
  customer: { userId?: string; email: string },
  skus: string[],
) => ({
  type: 'track',
  event: 'Order Completed',
  ...(customer.userId === undefined ? {} : { userId: customer.userId }),
  email: customer.email,
  messageId: `wu-order-${index}`,
  timestamp: at.toISOString(),
  properties: {
    order_id: `WU-${index}`,
    total: skus.reduce((sum, sku) => sum + productAt(sku).price, 0),
    currency: 'EUR',
    products: skus.map((sku) => ({ sku, price: productAt(sku).price, quantity: 1 })),
  },
});

// ---------------------------------------------------------------------------
// Samples: what one unit of work ran, and its floor

export interface FloorItem {
  item: string;
  bytes: number;
  /** Standard write units: one per started KB. */
  units: number;
}

export interface Sample {
  invocations: Invocation[];
  floor: FloorItem[];
  /** Write units to count in or out of the measured figure beyond the invocations (an item another unit's write carried). */
  adjust?: number;
}

const standardUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const floorItem = (item: string, bytes: number): FloorItem => ({ item, bytes, units: standardUnits(bytes) });

export const writeUnitsOf = (invocations: readonly Invocation[]) =>
  invocations.reduce((sum, invocation) => sum + total(invocation.usage.documented), 0);
export const readUnitsOf = (invocations: readonly Invocation[]) =>
  invocations.reduce((sum, invocation) => sum + total(invocation.usage.read), 0);
const measuredUnits = (sample: Sample) => writeUnitsOf(sample.invocations) + (sample.adjust ?? 0);
const floorUnits = (sample: Sample) => sample.floor.reduce((sum, item) => sum + item.units, 0);

export interface WorkUnitMeasurement {
  sizes: Sizes;
  firstOrders: Sample[];
  returningOrders: Sample[];
  identifyChanged: Sample[];
  identifyUnchanged: Sample[];
  /** signup → confirmation sent → confirm → welcome sent, whole. */
  welcomes: Sample[];
  /** The welcome journey's step on signup_confirmed (the message it queues counted in the send). */
  steps: Sample[];
  /** The welcome email: its outbox put and deliver. */
  sends: Sample[];
  /** order → wait → email → wait_for_event → SMS, whole. */
  reminders: Sample[];
  /** The reminder's first wait: its timer put and the tick that fires it. */
  waits: Sample[];
  /** Absent when the caller did not ask for it (the cost benchmark has no campaign workload). */
  campaign?: CampaignMeasurement;
  machine: { cpus: number; cpu: string; node: string; loadBefore: number; loadAfter: number };
}

// ---------------------------------------------------------------------------
// Reading items back (unmetered)

const sizeAt = async (world: UnitWorld, PK: string, SK: string): Promise<number> => {
  const { Item } = await world.plain.send(
    new GetItemCommand({
      TableName: world.tableName,
      Key: { PK: { S: PK }, SK: { S: SK } },
      ConsistentRead: true,
    }),
  );
  if (Item === undefined) throw new Error(`no item ${PK} ${SK}`);
  return itemSize(Item);
};

const itemsUnder = async (world: UnitWorld, PK: string, prefix: string) => {
  const { Items = [] } = await world.plain.send(
    new QueryCommand({
      TableName: world.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: PK }, ':prefix': { S: prefix } },
      ConsistentRead: true,
    }),
  );
  return Items;
};

/** The wheel's timers whose id holds `timerId`, by scanning it (the table is small). */
/** Every page of the scan: a full-size run's table is past the 1 MB a page holds. */
const timersWith = async (world: UnitWorld, timerId: string) => {
  const found: NonNullable<ScanCommandOutput['Items']> = [];
  let startKey: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await world.plain.send(
      new ScanCommand({
        TableName: world.tableName,
        FilterExpression: 'begins_with(PK, :wheel) AND contains(SK, :contact)',
        ExpressionAttributeValues: { ':wheel': { S: 'T#2' }, ':contact': { S: timerId } },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    found.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return found;
};

// ---------------------------------------------------------------------------
// The workloads

const minute = 60_000;
const day = 86_400_000;

/** Invocations from `from` on, and the list they were taken from left as it is. */
const since = (world: UnitWorld, from: number) => world.invocations.slice(from);

const orders = async (world: UnitWorld, sizes: Sizes, seed: number) => {
  const random = seededRandom(seed);
  const firstOrders: Sample[] = [];
  const returningOrders: Sample[] = [];
  for (let customer = 0; customer < sizes.customers; customer += 1) {
    const who = { userId: `wu-customer-${customer}`, email: `wu-customer-${customer}@example.com` };
    const count = random.int(1, 6);
    for (let order = 0; order < count; order += 1) {
      world.clock.advance(random.int(1, 20) * day);
      const skus = new Set<string>();
      const wanted = random.int(1, 4);
      while (skus.size < wanted) skus.add(random.pick(shop).sku);
      const from = world.invocations.length;
      const outcome = await world.invoke('ingest', () =>
        ingestCall(
          world.d.ingestDeps,
          orderCall(world.clock.now(), `${customer}-${order}`, who, [...skus]),
          'api',
        ),
      );
      if (outcome.status !== 'accepted') throw new Error(`order ${customer}-${order}: ${outcome.status}`);
      await world.settle();
      const profile = await sizeAt(world, `C#${outcome.contactId}`, 'PROFILE');
      const orderBytes = await sizeAt(world, `C#${outcome.contactId}`, `ORDER#WU-${customer}-${order}`);
      (order === 0 ? firstOrders : returningOrders).push({
        invocations: since(world, from),
        floor: [floorItem('the order', orderBytes), floorItem("the contact's profile (its card)", profile)],
      });
    }
    // Back to the start of the run, so every customer's history spans the same months.
    world.clock.set(runStart);
  }
  return { firstOrders, returningOrders };
};

const identifies = async (world: UnitWorld, customers: number) => {
  const changed: Sample[] = [];
  const unchanged: Sample[] = [];
  for (let customer = 0; customer < customers; customer += 1) {
    for (const [round, traits] of [
      { firstName: 'Ann', lastName: `Lee ${customer}`, plan: 'business' },
      { firstName: 'Ann', lastName: `Lee ${customer}`, plan: 'business' },
    ].entries()) {
      const from = world.invocations.length;
      const outcome = await world.invoke('ingest', () =>
        ingestCall(
          world.d.ingestDeps,
          {
            type: 'identify',
            userId: `wu-customer-${customer}`,
            messageId: `wu-identify-${customer}-${round}`,
            timestamp: world.clock.now().toISOString(),
            traits,
          },
          'api',
        ),
      );
      if (outcome.status !== 'accepted') throw new Error(`identify ${customer}: ${outcome.status}`);
      await world.settle();
      const profile = await sizeAt(world, `C#${outcome.contactId}`, 'PROFILE');
      if (round === 0)
        changed.push({ invocations: since(world, from), floor: [floorItem('the profile', profile)] });
      else unchanged.push({ invocations: since(world, from), floor: [] });
    }
  }
  return { changed, unchanged };
};

const keys = TokenKeys.parse(benchTokenKeys);

/** Signs someone up (with SMS consent when a phone is given) and confirms them, settling the stream after each. */
const signUpAndConfirm = async (world: UnitWorld, email: string, phone?: string) => {
  await world.invoke('signup', () =>
    signUp(signUpDependencies(world.d), {
      body: { email, consent: true, ...(phone === undefined ? {} : { phone, sms_consent: true }) },
      source: { ip: '192.0.2.1', userAgent: 'bench' },
    }),
  );
  await world.settle();
  const contactId = await world.setup.contacts.findIdByEmail(email);
  if (contactId === undefined) throw new Error(`${email} was not signed up`);
  const token = issueToken(keys, {
    purpose: 'confirm',
    contactId,
    expiresAt: new Date(world.clock.now().getTime() + 30 * day),
  });
  const confirmedFrom = world.invocations.length;
  await world.invoke('confirm', () =>
    confirmSubscription(
      {
        contacts: world.d.contacts,
        clock: world.clock,
        ids: world.d.ids,
        stats: world.d.stats,
        tokenKeys: keys,
      },
      { token, source: { ip: '192.0.2.1', userAgent: 'bench' } },
    ),
  );
  await world.settle();
  return { contactId, confirmedFrom };
};

const welcomes = async (world: UnitWorld, count: number) => {
  const whole: Sample[] = [];
  const steps: Sample[] = [];
  const sends: Sample[] = [];
  for (let index = 0; index < count; index += 1) {
    const from = world.invocations.length;
    const { contactId, confirmedFrom } = await signUpAndConfirm(world, `wu-welcome-${index}@example.com`);
    const invocations = since(world, from);
    whole.push({ invocations, floor: [] });
    const afterConfirm = since(world, confirmedFrom);
    const step = afterConfirm.find((invocation) => invocation.fn === 'journeys');
    const send = afterConfirm.find(
      (invocation) => invocation.fn === 'deliver' && invocation.key?.SK.startsWith('MSG#welcome#') === true,
    );
    if (step === undefined || send?.key === undefined) throw new Error('the welcome journey sent nothing');
    const messageBytes = await sizeAt(world, send.key.PK, send.key.SK);
    const enrollment = (await itemsUnder(world, `C#${contactId}`, 'EN#welcome#'))[0];
    const entered = (await itemsUnder(world, `C#${contactId}`, 'ENTERED#welcome'))[0];
    if (enrollment === undefined || entered === undefined) throw new Error('no welcome enrollment');
    // The step's transaction put the message (two units per started KB): that put is the send's.
    const messagePut = 2 * standardUnits(messageBytes);
    steps.push({
      invocations: [step],
      adjust: -messagePut,
      floor: [
        floorItem('the enrollment', itemSize(enrollment)),
        floorItem('the entered marker (`reentry: never`)', itemSize(entered)),
      ],
    });
    const message = floorItem('the outbox message', messageBytes);
    sends.push({
      invocations: [send],
      adjust: messagePut,
      floor: [
        message,
        { ...message, item: 'its claim (`queued → sending`), before SES is called' },
        { ...message, item: 'its outcome (`sent` and the SES id)' },
      ],
    });
  }
  return { whole, steps, sends };
};

const reminders = async (world: UnitWorld, count: number) => {
  const whole: Sample[] = [];
  const waits: Sample[] = [];
  // Some contacts fall in the journey's holdout (20 %) and are sent nothing: they are tried and left out.
  for (let index = 0; whole.length < count && index < count * 4; index += 1) {
    const email = `wu-reminder-${index}@example.com`;
    const { contactId } = await signUpAndConfirm(world, email, `+4477009${String(index).padStart(5, '0')}`);
    const from = world.invocations.length;
    world.clock.advance(minute);
    const placed = world.clock.now();
    const outcome = await world.invoke('ingest', () =>
      ingestCall(world.d.ingestDeps, orderCall(placed, `reminder-${index}`, { email }, ['FILTER-W']), 'api'),
    );
    if (outcome.status !== 'accepted') throw new Error(`reminder order ${index}: ${outcome.status}`);
    await world.settle();
    const waiting = async (kind: 'timer' | 'event') => {
      const enrollments: Enrollment[] = await world.setup.enrollments.listForContact(contactId);
      const running = enrollments.find(
        (enrollment) => enrollment.journeyId === 'replacement-reminder' && enrollment.status === 'active',
      );
      const wait = running?.waiting;
      if (running === undefined || wait === undefined || wait.kind !== kind) return undefined;
      return {
        at: new Date(wait.kind === 'timer' ? wait.dueAt : wait.timeoutAt),
        timerId: wait.timerId,
        enrollment: running,
      };
    };
    const until = await waiting('timer');
    if (until === undefined) throw new Error('the reminder is not waiting');
    const due = until.at;
    const timer = (await timersWith(world, until.timerId))[0];
    if (timer === undefined) throw new Error('no reminder timer in the wheel');
    const tickFrom = world.invocations.length;
    await world.tick(new Date(due.getTime() + minute), due);
    const fired = since(world, tickFrom);
    await world.settle();
    const timeout = (await waiting('event'))?.at;
    if (timeout === undefined) throw new Error('the reminder is not waiting for a reorder');
    await world.tick(new Date(timeout.getTime() + minute), timeout);
    await world.settle();
    // The journey's holdout (20 %) is tracked for the goal and sent nothing: such a contact is
    // taken through its waits all the same (so its timers do not fire in the next contact's
    // ticks), then left out. The contact's confirmation and welcome emails say nothing here.
    if (until.enrollment.group === 'control') {
      world.clock.set(placed);
      continue;
    }
    const reminderKey = `replacement-reminder#${until.enrollment.id}#`;
    const sentEmail = world.mailer
      .sent()
      .some(
        (sent) => sent.email.tags['rapport-message']?.startsWith(`${reminderKey}first-reminder#`) === true,
      );
    if (!sentEmail) throw new Error('the reminder sent no email');
    const smsDelivered = since(world, from).some(
      (call) =>
        call.fn === 'deliver' && call.key?.SK.startsWith(`MSG#${reminderKey}second-reminder#`) === true,
    );
    if (!smsDelivered) throw new Error('the reminder queued no SMS');
    const smsSent = world.texter
      .sent()
      .some(
        (sent) => sent.sms.tags?.['rapport-message']?.startsWith(`${reminderKey}second-reminder#`) === true,
      );
    if (!smsSent) throw new Error("deliver was handed the reminder's SMS and did not send it");
    whole.push({ invocations: since(world, from), floor: [] });
    const timerBytes = itemSize(timer);
    waits.push({
      invocations: fired,
      // The timer was put in the order's step transaction: two units per started KB.
      adjust: 2 * standardUnits(timerBytes),
      floor: [floorItem('the timer', timerBytes)],
    });
    world.clock.set(placed);
  }
  if (whole.length < count) throw new Error(`only ${whole.length} of ${count} reminders went the whole way`);
  return { whole, waits };
};

/** Where every run's virtual clock starts: a fixed day, so the figures do not move with the date. */
const runStart = new Date('2026-03-02T08:00:00.000Z');

export const measureWorkUnits = async (
  options: BenchOptions = {},
  { withCampaign = true }: { withCampaign?: boolean } = {},
): Promise<WorkUnitMeasurement> => {
  const sizes = sizesFor(sizeOf(options));
  const loadBefore = loadavg()[0] ?? 0;
  const world = await startUnitWorld(
    runStart,
    options.dynamoEndpoint === undefined ? {} : { dynamoEndpoint: options.dynamoEndpoint },
  );
  let measured: Omit<WorkUnitMeasurement, 'campaign' | 'machine'>;
  try {
    const at = world.clock.now().toISOString();
    for (const product of shop)
      await world.setup.catalog.put({ ...product, currency: 'EUR', createdAt: at, updatedAt: at }, undefined);
    await world.discardStream();
    console.log(`welcome journeys (${sizes.welcomes})…`);
    const welcome = await welcomes(world, sizes.welcomes);
    console.log(`orders of ${sizes.customers} customers…`);
    const order = await orders(world, sizes, 1);
    console.log('identify calls…');
    const identify = await identifies(world, Math.min(sizes.customers, 20));
    console.log(`replacement reminders (${sizes.reminders})…`);
    const reminder = await reminders(world, sizes.reminders);
    measured = {
      sizes,
      ...order,
      identifyChanged: identify.changed,
      identifyUnchanged: identify.unchanged,
      welcomes: welcome.whole,
      steps: welcome.steps,
      sends: welcome.sends,
      reminders: reminder.whole,
      waits: reminder.waits,
    };
  } finally {
    await world.stop();
  }
  if (withCampaign)
    console.log(`a campaign to ${sizes.campaignContacts} contacts (the campaigns benchmark's measurement)…`);
  const campaign = !withCampaign
    ? undefined
    : await measureCampaign({
        contacts: sizes.campaignContacts,
        rate: 14,
        // The first run may find the send not yet due (a small launch ends early in its minute).
        paceMinutes: 2,
        holdout: 10,
        seed: 1,
        writeConcurrency: 16,
        ...(options.dynamoEndpoint === undefined ? {} : { dynamoEndpoint: options.dynamoEndpoint }),
        // The send is paced in real time: a smoke run's window is short, as the campaigns benchmark's is.
        ...(sizeOf(options) === 'tiny' ? { paceMinutes: 1, paceWindowMs: 1500 } : {}),
      });
  return {
    ...measured,
    ...(campaign === undefined ? {} : { campaign }),
    machine: {
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      node: process.version,
      loadBefore,
      loadAfter: loadavg()[0] ?? 0,
    },
  };
};

// ---------------------------------------------------------------------------
// The report

const average = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
const fixed = (value: number, digits = 1) => value.toFixed(digits);

export interface UnitRow {
  label: string;
  count: number;
  wcu: number;
  rcu: number;
  floor: number;
  floorItems: string;
}

const rowOf = (label: string, samples: readonly Sample[]): UnitRow => {
  const items = new Map<string, number[]>();
  for (const sample of samples)
    for (const item of sample.floor) items.set(item.item, [...(items.get(item.item) ?? []), item.units]);
  return {
    label,
    count: samples.length,
    wcu: average(samples.map(measuredUnits)),
    rcu: average(samples.map((sample) => readUnitsOf(sample.invocations))),
    floor: average(samples.map(floorUnits)),
    floorItems:
      items.size === 0
        ? 'nothing: the call changes no item'
        : [...items.entries()].map(([item, units]) => `${item} (${fixed(average(units))})`).join(' + '),
  };
};

export const unitRows = (m: WorkUnitMeasurement): UnitRow[] => {
  const campaign = m.campaign === undefined ? undefined : unitsPerRecipient(m.campaign);
  return [
    rowOf("an order, a customer's first", m.firstOrders),
    rowOf("an order, a returning customer's", m.returningOrders),
    rowOf('an order, all', [...m.firstOrders, ...m.returningOrders]),
    rowOf('an identify call that changes traits', m.identifyChanged),
    rowOf('an identify call that changes nothing', m.identifyUnchanged),
    rowOf('a journey step (welcome: enrolled, email queued)', m.steps),
    rowOf('a wait (replacement reminder: timer filed, fired)', m.waits),
    rowOf('a send (welcome email: queued, claimed, sent)', m.sends),
    ...(campaign === undefined || m.campaign === undefined
      ? []
      : [
          {
            label: 'a campaign recipient (launch and send: one message recorded)',
            count: m.campaign.slots.length,
            wcu: campaign.recorded,
            rcu: campaign.reads,
            floor: campaign.floor,
            floorItems: `the outbox message (${fixed(campaign.floor)})`,
          },
        ]),
  ];
};

/** Requests and write units by function, over samples. */
const byFunction = (samples: readonly Sample[]) => {
  const rows = new Map<string, { calls: number; wcu: number; rcu: number }>();
  for (const sample of samples)
    for (const invocation of sample.invocations) {
      const row = rows.get(invocation.fn) ?? { calls: 0, wcu: 0, rcu: 0 };
      row.calls += 1;
      row.wcu += total(invocation.usage.documented);
      row.rcu += total(invocation.usage.read);
      rows.set(invocation.fn, row);
    }
  return [...rows.entries()]
    .map(
      ([fn, row]) =>
        `${fn} ${fixed(row.calls / samples.length)} × (${fixed(row.wcu / samples.length)} WCU, ${fixed(row.rcu / samples.length)} RCU)`,
    )
    .join('; ');
};

const requestsOf = (samples: readonly Sample[]) => {
  const counts = new Map<string, number>();
  for (const sample of samples)
    for (const invocation of sample.invocations)
      for (const [name, count] of invocation.usage.requests)
        counts.set(name, (counts.get(name) ?? 0) + count);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${fixed(count / samples.length)} ${name}`)
    .join(', ');
};

const report = (m: WorkUnitMeasurement): string => {
  const rows = unitRows(m);
  const table = rows
    .map(
      (row) =>
        `| ${row.label} | ${row.count} | **${fixed(row.wcu)}** | ${fixed(row.rcu)} | ${fixed(row.floor)} | ${row.floor === 0 ? '–' : `**${fixed(row.wcu / row.floor)}×**`} | ${row.floorItems} |`,
    )
    .join('\n');
  const allOrders = [...m.firstOrders, ...m.returningOrders];
  return `## Write units per unit of work

\`scripts/bench/work-units.ts\`: the deployment's own wiring (\`createDependencies\`, as the functions build it)
on a fresh DynamoDB Local, every request metered by DynamoDB's documented rules (\`capacity-meter.ts\`:
transactions at two units per item and started KB, worked out from the items, since DynamoDB Local
under-reports them). The table's stream is followed as Lambda follows it: each new event goes to what
\`journeys\` runs (\`handleContactEvent\`), each new message to \`deliverMessage\`, each outbound event to
\`publishOutboundEvent\`; SES, SNS and EventBridge are recorders. Time is a virtual clock, so a wait of
weeks ends when the benchmark runs the \`tick\`. ${m.sizes.customers} customers with 1–6 orders each
(1–4 of ${shop.length} products, seeded), ${m.sizes.welcomes} signups confirmed, ${m.sizes.reminders} replacement
reminders that went the whole way, and the campaigns benchmark's own measurement
(\`measureCampaign\`) on ${m.sizes.campaignContacts.toLocaleString('en-US')} contacts.

**The floor** of a unit of work is what must change for it and nothing else, each item at one
write unit per started KB (a standard write; the sizes are the items this run wrote):

- **an order**: the order item (what was bought, kept for reports and refunds) and the contact's
  profile, which carries the customer card (owned products, RFM, value) every order changes. Not in
  the floor: dedupe marks (the order item's own key could refuse a replay), the event (the order's
  own stream record could start the journeys), co-purchase counters and journey state (derived work).
- **an identify call**: the profile, when a trait changed; nothing when none did.
- **a journey step**: the enrollment's new state, and for a \`reentry: never\` journey the marker
  that keeps it to one entry. The message it queues is the send's.
- **a wait**: the timer. Its removal can be the TTL's (free), and the step that resumes is a step.
- **a send**: the outbox message, its claim (the state change that keeps two deliveries from both
  calling SES, which takes no idempotency key) and its outcome.
- **a campaign recipient**: the outbox message (as in the campaigns benchmark).

| unit of work | measured | WCU | RCU | floor WCU | × floor | the floor's items (WCU each) |
|---|---|---|---|---|---|---|
${table}

Where the units go:

| unit of work | invocations and their units, per unit of work | requests, per unit of work |
|---|---|---|
| an order | ${byFunction(allOrders)} | ${requestsOf(allOrders)} |
| an identify call that changes traits | ${byFunction(m.identifyChanged)} | ${requestsOf(m.identifyChanged)} |
| a welcome journey, whole (signup → confirmation → confirm → welcome) | ${byFunction(m.welcomes)} | ${requestsOf(m.welcomes)} |
| a replacement reminder, whole (order → wait → email → wait_for_event → SMS) | ${byFunction(m.reminders)} | ${requestsOf(m.reminders)} |

- A journey step's and a send's figures split the step's transaction: the message it put (two
  units per started KB, inside a transaction) is counted in the send, not the step. A wait's figure
  is the timer's put in the step's transaction (two units per started KB) and the tick that fires it
  (the \`timer\` event put and the timer deleted); the tick's reads of the wheel are per minute,
  not per timer (see the idle cost).
- Transactions double every item's units: an order is one transaction by design (the dedupe marks,
  the profile, the event and the order stored together or not at all), and each journey step is one.
- Counters (\`UpdateItem\` ADD on \`STAT#\` items) come on top of every step and send: the journey's
  and the day's figures read by the reports.

What the numbers do not say: DynamoDB Local is not DynamoDB; the write units are by the documented
rule, not billed; a read's units are what DynamoDB Local reported. Machine: ${m.machine.cpus} CPUs,
${m.machine.cpu}, Node ${m.machine.node}; 1-minute load ${fixed(m.machine.loadBefore, 2)} before,
${fixed(m.machine.loadAfter, 2)} after. Date: ${new Date().toISOString().slice(0, 10)}.

Run it alone with \`npx tsx scripts/bench/work-units.ts\` (\`--tiny\` for a smoke run, \`--no-doc\` to leave this file alone);
\`BENCH_WU_CUSTOMERS\`, \`BENCH_WU_WELCOMES\`, \`BENCH_WU_REMINDERS\` and
\`BENCH_WU_CAMPAIGN_CONTACTS\` change the workload.
`;
};

/** The headline figures: each unit of work's write units and how far above its floor they are. */
export const workUnitFigures = (m: WorkUnitMeasurement): Record<string, number> => {
  const figures: Record<string, number> = {};
  for (const row of unitRows(m)) {
    if (row.floor === 0) continue;
    figures[`WCU: ${row.label}`] = row.wcu;
    figures[`× floor: ${row.label}`] = row.wcu / row.floor;
  }
  figures['WCU: a replacement reminder, whole'] = average(m.reminders.map(measuredUnits));
  return figures;
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const measured = await measureWorkUnits(options);
  return finish(options, 'work-units', report(measured), workUnitFigures(measured));
};

if (isCommandLine(import.meta.url)) await runAlone(run);
