import { CfnResource } from 'aws-cdk-lib';
import { journeyJobsDependencies } from '../../functions/handler-dependencies.js';
import { createRapportApp } from '../../infra/cloud/rapport-app.js';
import { topology } from '../../infra/topology.js';
import { runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import { timing } from '../../lib/config/timing.js';
import { dollars, prices, pricesAsOf } from './aws-prices.js';
import { type BenchOptions, type BenchResult, finish, isCommandLine, runAlone, sizeOf } from './bench-run.js';
import { total } from './capacity-meter.js';
import { startUnitWorld } from './unit-world.js';

/**
 * What the stack costs a month with no traffic: the cloud stack built here
 * (as `cdk synth` builds it), each billable resource in its
 * template priced, and the schedules that run whether or not there is work
 * measured: an idle `tick` and an idle `journey-jobs` run on DynamoDB Local,
 * metered and timed, then multiplied by a month of runs.
 */

const minutesPerMonth = 30 * 24 * 60;

/** The context cdk.json ships with, plus what a deployment must set. */
const context = (alarmEmail: string) => ({
  'rapport:senderEmail': 'Rapport <hello@example.com>',
  'rapport:allowedOrigins': 'https://www.example.com',
  'rapport:postalAddress': 'Rapport Example Ltd, 1 Example Street, Springfield 12345, USA',
  'rapport:publicBaseUrl': '',
  'rapport:sesIdentity': 'example.com',
  'rapport:alarmEmail': alarmEmail,
  // No asset bundling: the template's resources are what is priced.
  'aws:cdk:bundling-stacks': [],
});

/**
 * The CloudFormation resources of the stack (and the console's nested stack) by type, read off
 * the construct tree: the same resources its templates hold, without synthesizing them (which
 * stages every asset and takes many times longer).
 */
const resourceCounts = (alarmEmail: string): Map<string, number> => {
  const { stack } = createRapportApp({ context: context(alarmEmail), nag: false });
  const counts = new Map<string, number>();
  for (const construct of stack.node.findAll())
    if (CfnResource.isCfnResource(construct))
      counts.set(construct.cfnResourceType, (counts.get(construct.cfnResourceType) ?? 0) + 1);
  return counts;
};

interface IdleRun {
  ms: number;
  readUnits: number;
  writeUnits: number;
}

const average = (runs: readonly IdleRun[]): IdleRun => ({
  ms: runs.reduce((sum, run) => sum + run.ms, 0) / runs.length,
  readUnits: runs.reduce((sum, run) => sum + run.readUnits, 0) / runs.length,
  writeUnits: runs.reduce((sum, run) => sum + run.writeUnits, 0) / runs.length,
});

/** Idle runs of the two every-minute schedules, each as its handler wires it, on an empty deployment. */
const measureIdleSchedules = async (runs: number, dynamoEndpoint: string | undefined) => {
  const start = new Date('2026-03-02T08:00:00.000Z');
  const world = await startUnitWorld(start, dynamoEndpoint === undefined ? {} : { dynamoEndpoint });
  try {
    const { d } = world;
    const jobDeps = journeyJobsDependencies(d);
    const jobsRun = () =>
      runJourneyJobs(jobDeps, {
        outOfTime: () => false,
        paceUntil: new Date(d.clock.now().getTime() + timing.journeyJobs.paceWindowMs),
      });
    // The content's own jobs (a date-trigger backfill over no contacts) finish first.
    for (let index = 0; index < 5; index += 1) {
      world.clock.advance(60_000);
      await jobsRun();
    }
    const ticks: IdleRun[] = [];
    const jobs: IdleRun[] = [];
    for (let index = 0; index < runs; index += 1) {
      world.clock.advance(60_000);
      const minute = world.clock.now();
      const from = world.invocations.length;
      // As every minute: the cursor trails by the settle time, so the last few buckets are read again.
      await world.tick(minute, new Date(minute.getTime() - (timing.tick.settleSeconds + 60) * 1000));
      await world.invoke('journey-jobs', jobsRun);
      const [tick, job] = world.invocations.slice(from);
      for (const [into, call] of [
        [ticks, tick],
        [jobs, job],
      ] as const)
        if (call !== undefined)
          into.push({
            ms: call.ms,
            readUnits: total(call.usage.read),
            writeUnits: total(call.usage.documented),
          });
    }
    return { tick: average(ticks), jobs: average(jobs) };
  } finally {
    await world.stop();
  }
};

interface Line {
  what: string;
  count: string;
  monthly: number;
  note: string;
}

const scheduleLines = (name: 'tick' | 'journey-jobs', run: IdleRun): Line[] => {
  const spec = topology.find((entry) => entry.name === name);
  if (spec === undefined || spec.trigger.kind !== 'schedule') throw new Error(`${name} is not a schedule`);
  const runs = minutesPerMonth / spec.trigger.everyMinutes;
  const billedMs = Math.ceil(run.ms);
  const gbSeconds = runs * (billedMs / 1000) * (spec.memoryMb / 1024);
  return [
    {
      what: `\`${name}\` every ${spec.trigger.everyMinutes} min: Lambda requests and GB-s`,
      count: `${runs.toLocaleString('en-US')} runs × ${billedMs} ms at ${spec.memoryMb} MB`,
      monthly:
        (runs / 1_000_000) * prices.lambda.requestsPerMillion + gbSeconds * prices.lambda.arm64GbSecond,
      note: 'idle run measured here (DynamoDB Local on this machine)',
    },
    {
      what: `\`${name}\`: DynamoDB reads and writes`,
      count: `${run.readUnits.toFixed(1)} RCU + ${run.writeUnits.toFixed(1)} WCU a run`,
      monthly:
        ((runs * run.readUnits) / 1_000_000) * prices.dynamodb.readUnitsPerMillion +
        ((runs * run.writeUnits) / 1_000_000) * prices.dynamodb.writeUnitsPerMillion,
      note:
        name === 'tick' ? 'the wheel read shard by shard, the cursor moved on' : 'the pending jobs listed',
    },
  ];
};

interface IdleBill {
  lines: Line[];
  without: number;
  withEmail: number;
}

const idleBill = (
  counts: { withEmail: Map<string, number>; without: Map<string, number> },
  idle: { tick: IdleRun; jobs: IdleRun },
): IdleBill => {
  const count = (map: Map<string, number>, type: string) => map.get(type) ?? 0;
  const alarmsWith = count(counts.withEmail, 'AWS::CloudWatch::Alarm');
  const alarmsWithout = count(counts.without, 'AWS::CloudWatch::Alarm');
  const functions = count(counts.without, 'AWS::Lambda::Function');
  const scheduled = topology.filter((spec) => spec.trigger.kind === 'schedule');
  const scheduledRuns = scheduled.reduce(
    (sum, spec) => sum + (spec.trigger.kind === 'schedule' ? minutesPerMonth / spec.trigger.everyMinutes : 0),
    0,
  );
  // START, END and REPORT lines and the metrics line of each run: about 1 KB.
  const logGb = (scheduledRuns * 1024) / 1024 ** 3;
  const fixedLines: Line[] = [
    {
      what: 'KMS customer managed key (encrypts the SNS topics)',
      count: String(count(counts.without, 'AWS::KMS::Key')),
      monthly: count(counts.without, 'AWS::KMS::Key') * prices.kms.keyMonth,
      note: 'SES and CloudWatch may publish only to topics whose key lets them; the AWS managed key cannot',
    },
    {
      what: 'Secrets Manager secret (the link-signing keys)',
      count: String(count(counts.without, 'AWS::SecretsManager::Secret')),
      monthly: count(counts.without, 'AWS::SecretsManager::Secret') * prices.secretsManager.secretMonth,
      note: 'read at most every 5 minutes by warm functions: no reads when idle',
    },
    ...scheduleLines('tick', idle.tick),
    ...scheduleLines('journey-jobs', idle.jobs),
    {
      what: 'the daily schedules (`customer-value`, `live-segments`)',
      count: `${scheduled.length - 2} × 30 runs`,
      monthly: 0.001,
      note: 'a few seconds a day on an empty table: under a tenth of a cent',
    },
    {
      what: 'EventBridge scheduled rules',
      count: String(scheduled.length),
      monthly: scheduledRuns * prices.eventBridge.scheduledRuleEvents,
      note: 'events of scheduled rules are not charged (EventBridge Scheduler would be, past 14M a month)',
    },
    {
      what: 'CloudWatch Logs written by the schedules',
      count: `${(logGb * 1024).toFixed(0)} MB a month`,
      monthly: logGb * (prices.cloudWatch.logsIngestedGb + prices.cloudWatch.logsStoredGbMonth),
      note: `about 1 KB a run (Lambda's START, END and REPORT lines, the metrics line); ${functions} log groups, kept a month`,
    },
    {
      what: 'X-Ray traces of the schedules',
      count: `${scheduledRuns.toLocaleString('en-US')} a month`,
      monthly: 0,
      note: `within the ${prices.xray.freeTracesMonth.toLocaleString('en-US')} traces a month that are free; $${((scheduledRuns / 1_000_000) * prices.xray.tracesRecordedPerMillion).toFixed(2)} if the account uses that allowance elsewhere`,
    },
    {
      what: 'DynamoDB storage and point-in-time recovery',
      count: 'the shipped content, a few hundred KB',
      monthly: 0.001 * (prices.dynamodb.storageGbMonth + prices.dynamodb.pitrGbMonth),
      note: `$${prices.dynamodb.storageGbMonth} + $${prices.dynamodb.pitrGbMonth} per GB-month as the table grows`,
    },
    {
      what: 'S3 (the console files and access logs), CloudFront, Cognito, API Gateway, SQS, SNS, SES, EventBridge bus',
      count: `${count(counts.without, 'AWS::S3::Bucket')} buckets, ${count(counts.without, 'AWS::CloudFront::Distribution')} distribution, ${count(counts.without, 'AWS::Cognito::UserPool')} user pool, ${count(counts.without, 'AWS::SQS::Queue')} queues, ${count(counts.without, 'AWS::SNS::Topic')} topics`,
      monthly: 0.0001,
      note: `charged per request, GB or active user: nothing without traffic (a few MB in S3; Cognito's first ${prices.cognito.freeMonthlyActiveUsers.toLocaleString('en-US')} monthly users are free)`,
    },
  ];
  const idleTotal = fixedLines.reduce((sum, line) => sum + line.monthly, 0);
  const alarmCost = (alarms: number) => alarms * prices.cloudWatch.alarmMetricMonth;
  return {
    lines: fixedLines,
    without: idleTotal + alarmCost(alarmsWithout),
    withEmail: idleTotal + alarmCost(alarmsWith),
  };
};

const report = (
  counts: { withEmail: Map<string, number>; without: Map<string, number> },
  idle: { tick: IdleRun; jobs: IdleRun },
  bill: IdleBill,
): string => {
  const count = (map: Map<string, number>, type: string) => map.get(type) ?? 0;
  const alarmsWith = count(counts.withEmail, 'AWS::CloudWatch::Alarm');
  const alarmsWithout = count(counts.without, 'AWS::CloudWatch::Alarm');
  const alarmCost = (alarms: number) => alarms * prices.cloudWatch.alarmMetricMonth;
  const fixedLines = bill.lines;
  const rows = fixedLines
    .map((line) => `| ${line.what} | ${line.count} | ${dollars(line.monthly)} | ${line.note} |`)
    .join('\n');
  return `## What the stack costs idle

\`scripts/bench/idle-cost.ts\`: the cloud stack built here (\`createRapportApp\`, as \`cdk synth\`
builds it) and each billable resource in its templates priced at ${pricesAsOf}
(\`scripts/bench/aws-prices.ts\`), for a month with no traffic at all. The two schedules that run every
minute whether or not there is work, \`tick\` and \`journey-jobs\`, were run idle on DynamoDB Local (the
deployment's wiring, metered and timed): ${idle.tick.ms.toFixed(0)} ms, ${idle.tick.readUnits.toFixed(1)} read units and
${idle.tick.writeUnits.toFixed(1)} write units a tick (the cursor trails by the settle time, so each tick reads the last
few minutes' buckets, shard by shard, and moves the cursor one minute on), ${idle.jobs.ms.toFixed(0)} ms and
${idle.jobs.readUnits.toFixed(1)} read units a journey-jobs run. A read that finds nothing is counted at one unit (a
consistent read's least), which DynamoDB Local does not report.

| line | count | a month | why |
|---|---|---|---|
${rows}
| **without \`rapport:alarmEmail\`** (${alarmsWithout} alarms) | | **${dollars(bill.without)}** | target: under $2 |
| CloudWatch alarms, with \`rapport:alarmEmail\` | ${alarmsWith} | ${dollars(alarmCost(alarmsWith))} | $${prices.cloudWatch.alarmMetricMonth} per alarm metric; one errors alarm per function, the stream consumers' iterator age, each dead-letter queue, each schedule not running |
| **with \`rapport:alarmEmail\`** | | **${dollars(bill.withEmail)}** | |

- **Alarms only when someone is told.** Without \`rapport:alarmEmail\` the stack creates no alarm:
  an alarm costs $${prices.cloudWatch.alarmMetricMonth} a month whether or not it notifies anyone, and the metrics stay in
  CloudWatch to look at. Folding them into a composite alarm would not save anything: a composite
  alarm costs $${prices.cloudWatch.compositeAlarmMonth} on top of the alarms it watches, and a metric-math alarm pays per metric in it.
- **The every-minute schedules stay.** Idle, they cost ${dollars(fixedLines.filter((line) => line.what.includes('`tick`') || line.what.includes('`journey-jobs`')).reduce((sum, line) => sum + line.monthly, 0))} a month together; a
  "nothing pending" marker each run reads first would cost a read unit a run itself and save only
  part of the handler time, so a wait or a job is not put at risk of firing late for it.
- The KMS key and the secret are most of what is left: both hold what must not be lost or read
  (the topics' encryption, the link-signing keys).

Run it alone with \`npx tsx scripts/bench/idle-cost.ts\` (\`--tiny\` for a smoke run).
`;
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const counts = { withEmail: resourceCounts('ops@example.com'), without: resourceCounts('') };
  const idle = await measureIdleSchedules(sizeOf(options) === 'tiny' ? 3 : 10, options.dynamoEndpoint);
  const bill = idleBill(counts, idle);
  return finish(options, 'idle-cost', report(counts, idle, bill), {
    '$ a month idle, without alarm email': bill.without,
    '$ a month idle, with alarm email': bill.withEmail,
    'idle tick ms': idle.tick.ms,
    'idle journey-jobs ms': idle.jobs.ms,
  });
};

if (isCommandLine(import.meta.url)) await runAlone(run);
