import { topology } from '../../infra/topology.js';
import { dollars, prices, pricesAsOf } from './aws-prices.js';
import { type BenchOptions, type BenchResult, finish, isCommandLine, runAlone } from './bench-run.js';
import { total } from './capacity-meter.js';
import type { FunctionName } from './unit-world.js';
import { measureWorkUnits, type Sample, type WorkUnitMeasurement } from './work-units.js';

/**
 * Dollars for a million of three workloads, from the write and read units,
 * invocations and handler times work-units.ts measures on DynamoDB Local, at
 * the list prices in aws-prices.ts; and what Amazon Pinpoint's published prices
 * would have charged for the same work.
 */

const memoryMbOf = (fn: FunctionName): number => {
  const spec = topology.find((entry) => entry.name === fn);
  if (spec === undefined) throw new Error(`no function ${fn} in the topology`);
  return spec.memoryMb;
};

/** What one workload instance uses, averaged over its samples. */
interface Usage {
  writeUnits: number;
  readUnits: number;
  invocations: Map<FunctionName, { count: number; gbSeconds: number; ms: number }>;
  apiRequests: number;
  emails: number;
  sms: number;
  busEvents: number;
}

const httpFunctions = new Set<FunctionName>(['signup', 'confirm', 'ingest']);

const usageOf = (samples: readonly Sample[], extra: { emails: number; sms: number }): Usage => {
  const n = samples.length;
  const invocations = new Map<FunctionName, { count: number; gbSeconds: number; ms: number }>();
  let writeUnits = 0;
  let readUnits = 0;
  let busEvents = 0;
  for (const sample of samples) {
    writeUnits += sample.invocations.reduce((sum, call) => sum + total(call.usage.documented), 0);
    writeUnits += sample.adjust ?? 0;
    readUnits += sample.invocations.reduce((sum, call) => sum + total(call.usage.read), 0);
    for (const call of sample.invocations) {
      const row = invocations.get(call.fn) ?? { count: 0, gbSeconds: 0, ms: 0 };
      // Lambda bills each invocation's duration rounded up to the millisecond.
      const billedMs = Math.ceil(call.ms);
      row.count += 1 / n;
      row.ms += billedMs / n;
      row.gbSeconds += ((billedMs / 1000) * memoryMbOf(call.fn)) / 1024 / n;
      invocations.set(call.fn, row);
      if (call.fn === 'publish-events') busEvents += 1 / n;
    }
  }
  const apiRequests = [...invocations.entries()]
    .filter(([fn]) => httpFunctions.has(fn))
    .reduce((sum, [, row]) => sum + row.count, 0);
  return {
    writeUnits: writeUnits / n,
    readUnits: readUnits / n,
    invocations,
    apiRequests,
    busEvents,
    ...extra,
  };
};

interface Bill {
  dynamodbWrites: number;
  dynamodbReads: number;
  lambdaRequests: number;
  lambdaCompute: number;
  apiGateway: number;
  eventBridge: number;
  ses: number;
  sns: number;
}

const million = 1_000_000;

const billFor = (usage: Usage, count: number): Bill => {
  const invocations = [...usage.invocations.values()];
  return {
    dynamodbWrites: ((usage.writeUnits * count) / million) * prices.dynamodb.writeUnitsPerMillion,
    dynamodbReads: ((usage.readUnits * count) / million) * prices.dynamodb.readUnitsPerMillion,
    lambdaRequests:
      ((invocations.reduce((sum, row) => sum + row.count, 0) * count) / million) *
      prices.lambda.requestsPerMillion,
    lambdaCompute:
      invocations.reduce((sum, row) => sum + row.gbSeconds, 0) * count * prices.lambda.arm64GbSecond,
    apiGateway: ((usage.apiRequests * count) / million) * prices.apiGateway.restRequestsPerMillion,
    eventBridge: ((usage.busEvents * count) / million) * prices.eventBridge.customEventsPerMillion,
    ses: ((usage.emails * count) / 1000) * prices.ses.emailsPerThousand,
    sns: usage.sms * count * prices.sns.usSms,
  };
};

const rapportTotal = (bill: Bill) =>
  bill.dynamodbWrites + bill.dynamodbReads + bill.lambdaRequests + bill.lambdaCompute + bill.apiGateway;

interface PinpointBill {
  endpoints: number;
  events: number;
  email: number;
  sms: number;
  assumptions: string;
}

/** Pinpoint at its published prices, for a month in which `count` instances run. */
const pinpointFor = (
  count: number,
  work: { endpoints: number; events: number; emails: number; sms: number; assumptions: string },
): PinpointBill => ({
  endpoints:
    Math.max(0, work.endpoints * count - prices.pinpoint.freeTargetedEndpoints) *
    prices.pinpoint.targetedEndpointMonth,
  events:
    (Math.max(0, work.events * count - prices.pinpoint.freeEventsMonth) / million) *
    prices.pinpoint.eventsPerMillion,
  email: ((work.emails * count) / 1000) * prices.pinpoint.emailsPerThousand,
  sms: work.sms * count * prices.pinpoint.usSms,
  assumptions: work.assumptions,
});

interface Workload {
  /** The workload's name in the figures. */
  name: string;
  label: string;
  usage: Usage;
  bill: Bill;
  pinpoint: PinpointBill;
}

const count = million;

export const workloadsOf = (m: WorkUnitMeasurement): Workload[] => {
  const welcome = usageOf(m.welcomes, { emails: 2, sms: 0 });
  const reminder = usageOf(m.reminders, { emails: 1, sms: 1 });
  const order = usageOf([...m.firstOrders, ...m.returningOrders], { emails: 0, sms: 0 });
  return [
    {
      name: 'welcome journeys',
      label: '1M welcome journeys (signup → confirmation email → confirm → welcome email)',
      usage: welcome,
      bill: billFor(welcome, count),
      pinpoint: pinpointFor(count, {
        endpoints: 1,
        events: 2,
        emails: 2,
        sms: 0,
        assumptions:
          'one email endpoint per person, targeted that month; signup and confirmation sent to Pinpoint as 2 events; both emails sent by Pinpoint (the double opt-in itself would still need code of your own)',
      }),
    },
    {
      name: 'replacement reminders',
      label: '1M replacement reminders (order → wait → email → wait_for_event → SMS)',
      usage: reminder,
      bill: billFor(reminder, count),
      pinpoint: pinpointFor(count, {
        endpoints: 2,
        events: 1,
        emails: 1,
        sms: 1,
        assumptions:
          'an email and an SMS endpoint per person (Pinpoint counts an endpoint per address and channel), both targeted that month; the order as 1 event',
      }),
    },
    {
      name: 'ingested orders',
      label: '1M ingested orders (the customer card, co-purchases, journeys they start)',
      usage: order,
      bill: billFor(order, count),
      pinpoint: pinpointFor(count, {
        endpoints: 0,
        events: 1,
        emails: 0,
        sms: 0,
        assumptions:
          'each order as 1 event and no message sent, so no endpoint targeted; Pinpoint keeps no customer card, co-purchases or order log, so this is not the same work',
      }),
    },
  ];
};

const fixed = (value: number, digits = 1) => value.toFixed(digits);

const pinpointTotal = (pinpoint: PinpointBill) =>
  pinpoint.endpoints + pinpoint.events + pinpoint.email + pinpoint.sms;

/**
 * The headline figures: Rapport's dollars for a million of each workload (its
 * messaging fees apart), and Pinpoint's bill for the same three, messages included.
 */
export const costFigures = (workloads: readonly Workload[]): Record<string, number> => {
  const figures: Record<string, number> = {};
  for (const { name, bill } of workloads) figures[`$ per million ${name}`] = rapportTotal(bill);
  figures['$ Pinpoint bill, the three workloads'] = workloads.reduce(
    (sum, { pinpoint }) => sum + pinpointTotal(pinpoint),
    0,
  );
  return figures;
};

const report = (m: WorkUnitMeasurement, workloads: readonly Workload[]): string => {
  const rows = workloads
    .map(({ label, bill, pinpoint }) => {
      const pinpointEngagement = pinpoint.endpoints + pinpoint.events;
      return `| ${label} | ${dollars(bill.dynamodbWrites)} | ${dollars(bill.dynamodbReads)} | ${dollars(bill.lambdaRequests)} | ${dollars(bill.lambdaCompute)} | ${dollars(bill.apiGateway)} | **${dollars(rapportTotal(bill))}** | ${dollars(bill.eventBridge)} | ${dollars(bill.ses)} | ${dollars(bill.sns)} | **${dollars(pinpointEngagement)}** (${dollars(pinpoint.endpoints)} endpoints + ${dollars(pinpoint.events)} events) | ${dollars(pinpoint.email)} + ${dollars(pinpoint.sms)} |`;
    })
    .join('\n');
  const usageRows = workloads
    .map(({ label, usage }) => {
      const calls = [...usage.invocations.entries()]
        .map(
          ([fn, row]) =>
            `${fn} ${fixed(row.count)} × ${fixed(row.ms / row.count, 0)} ms at ${memoryMbOf(fn)} MB`,
        )
        .join('; ');
      return `| ${label.replace(/ \(.*$/, '')} | ${fixed(usage.writeUnits)} | ${fixed(usage.readUnits)} | ${calls} | ${fixed(usage.apiRequests)} | ${usage.emails} | ${usage.sms} | ${fixed(usage.busEvents)} |`;
    })
    .join('\n');
  const assumptions = workloads
    .map(({ label, pinpoint }) => `- ${label.replace(/ \(.*$/, '')}: ${pinpoint.assumptions}.`)
    .join('\n');
  return `## What a million cost

\`scripts/bench/cost.ts\`: the work measured by \`work-units.ts\` (the real use cases on DynamoDB Local,
metered by DynamoDB's documented rules; see [Write units per unit of work](#write-units-per-unit-of-work))
turned into dollars at ${pricesAsOf} (\`scripts/bench/aws-prices.ts\` states each price). Averages over
${m.welcomes.length} welcome journeys, ${m.reminders.length} reminders and
${m.firstOrders.length + m.returningOrders.length} orders of this run.

Per instance, as measured:

| workload | WCU | RCU | invocations × billed handler time at configured memory | API requests | emails | SMS | bus events |
|---|---|---|---|---|---|---|---|
${usageRows}

For a million of each:

| workload | DynamoDB writes | DynamoDB reads | Lambda requests | Lambda GB-s (arm64) | API Gateway | **Rapport** | EventBridge | SES | SNS (US SMS) | **Pinpoint** (same work) | Pinpoint email + SMS |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows}

Prices: DynamoDB on-demand $${prices.dynamodb.writeUnitsPerMillion} per million write units and
$${prices.dynamodb.readUnitsPerMillion} per million read units; reading the table's stream costs nothing
when Lambda is the trigger (DynamoDB's pricing page: GetRecords calls by Lambda triggers are free).
Lambda $${prices.lambda.requestsPerMillion} per million requests and $${prices.lambda.arm64GbSecond} per GB-second on arm64,
at each function's \`memoryMb\` in \`infra/topology.ts\`. API Gateway (REST) $${prices.apiGateway.restRequestsPerMillion} per million.
EventBridge $${prices.eventBridge.customEventsPerMillion} per million custom events. SES $${prices.ses.emailsPerThousand} per 1,000 emails;
SNS $${prices.sns.usSms} per SMS to a US number, carrier fees extra. Messaging fees are shown apart: they are the
same whichever system decides to send. Pinpoint: $${prices.pinpoint.targetedEndpointMonth} per endpoint targeted in a month
beyond ${prices.pinpoint.freeTargetedEndpoints.toLocaleString('en-US')}, $${prices.pinpoint.eventsPerMillion} per million events beyond
${(prices.pinpoint.freeEventsMonth / million).toLocaleString('en-US')} million, email and SMS at the same per-message prices; the
million is taken as one month's volume. Pinpoint's engagement features reached end of support on
30 October 2026: its column is what its last published prices would have charged.

Assumptions for Pinpoint:

${assumptions}

How to read it:

- **The handler times are this machine's**: each use case timed in one process against DynamoDB
  Local on the same two cores (load ${fixed(m.machine.loadBefore, 2)} before the run), rounded up to the
  millisecond as Lambda bills. In the cloud a request to DynamoDB takes a few milliseconds as well;
  cold starts and the runtime's own overhead are not in them.
- **One invocation per stream record** (an upper bound on requests): Lambda hands a stream's records
  over in batches (\`batchSize\` in \`infra/topology.ts\`), which share one request; the time is the same.
  Ingestion is counted as one \`POST /v1/events\` call per order: \`/v1/batch\` carries up to 500
  calls in one request and one invocation.
- Not counted: storage (a profile of about 2 KB, an order of about 1 KB and each event kept; see the
  idle cost for the per-GB prices), CloudWatch Logs written by each invocation, X-Ray traces, data
  transfer.

Run it alone with \`npm run bench -- cost\` or \`npx tsx scripts/bench/cost.ts\` (\`--tiny\`
for a smoke run); it measures the work again with \`work-units.ts\`'s settings.
`;
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const measured = await measureWorkUnits(options, { withCampaign: false });
  const workloads = workloadsOf(measured);
  return finish(options, 'cost', report(measured, workloads), costFigures(workloads));
};

if (isCommandLine(import.meta.url)) await runAlone(run);
