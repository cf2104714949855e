import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type ChaosReport, runChaos } from './chaos-run.js';
import { invariantTable } from './invariant-table.js';
import { describeStep, runSignupLoad, type SignupLoadReport } from './signup-load.js';
import { runSoak } from './soak.js';

/**
 * `npm run chaos`: mixed traffic against `npm start -- --persist` while its
 * processes are SIGKILLed and restarted (`--calls`, `--kills`, `--seed`); prints
 * the invariants as a table and exits non-zero if any is violated.
 * `--load`: signups at the highest rate the stack holds for `--seconds`, then at twice it.
 * `--soak`: `--minutes` of mixed traffic at half that rate (or `--rate` calls a second), memory and latency watched.
 */

const Whole = z.coerce.number().int().min(1);

const chaosSummary = (report: ChaosReport): string => {
  const restarts = report.restartSeconds;
  const mean = restarts.reduce((sum, s) => sum + s, 0) / Math.max(1, restarts.length);
  return [
    `${report.people} people, ${report.calls} calls answered (${report.resends} resends), ${report.kills} kills`,
    `traffic ${report.trafficSeconds.toFixed(0)} s, settle ${report.settleSeconds.toFixed(0)} s, restart ${mean.toFixed(1)} s on average`,
  ].join('\n');
};

const loadSummary = (report: SignupLoadReport): string => {
  const share = (100 * report.capacity.rate) / report.ceiling.perSecond;
  return [
    `DynamoDB Local ceiling: ${report.ceiling.perSecond.toFixed(0)} PutItem/s (50 in flight)`,
    `holds ${report.capacity.rate} signups/s for ${report.capacity.seconds} s (${share.toFixed(1)} % of the ceiling): ${describeStep(report.capacity)}`,
    `at ${report.overload.rate}/s: ${describeStep(report.overload)}`,
    `${report.checked} signups answered 2xx: ${report.missingContacts.length} without a contact, ${report.wrongConfirmations.length} without exactly one confirmation; ${report.storedDespiteRefusal.length} turned away but stored`,
  ].join('\n');
};

const loadFailed = (report: SignupLoadReport): boolean =>
  report.overload.unanswered > 0 ||
  report.overload.otherAnswers > 0 ||
  report.missingContacts.length + report.wrongConfirmations.length + report.storedDespiteRefusal.length > 0;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '5000' },
      kills: { type: 'string', default: '10' },
      seed: { type: 'string', default: '7' },
      load: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '60' },
      soak: { type: 'boolean', default: false },
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string' },
    },
  });
  const log = (line: string) => console.log(line);
  if (values.load) {
    const report = await runSignupLoad({ seconds: Whole.parse(values.seconds), log });
    console.log(`\n${loadSummary(report)}`);
    return loadFailed(report) ? 1 : 0;
  }
  if (values.soak) {
    const minutes = Whole.parse(values.minutes);
    const report = await runSoak({
      minutes,
      warmUpMinutes: Math.max(1, Math.round(minutes / 6)),
      seed: Whole.parse(values.seed),
      ...(values.rate === undefined
        ? {}
        : { callsPerSecond: z.coerce.number().positive().parse(values.rate) }),
      log,
    });
    console.log(`\n${invariantTable({ invariants: report.invariants })}`);
    for (const problem of report.problems.slice(0, 20)) console.log(`problem: ${problem}`);
    const ok =
      report.verdict.memoryFlat &&
      report.verdict.latencySteady &&
      report.problems.length === 0 &&
      report.invariants.every((row) => row.violations === 0);
    return ok ? 0 : 1;
  }
  const report = await runChaos({
    calls: Whole.parse(values.calls),
    kills: Whole.parse(values.kills),
    seed: Whole.parse(values.seed),
    concurrency: 48,
    log,
  });
  console.log(`\n${chaosSummary(report)}\n\n${invariantTable(report)}`);
  for (const problem of report.problems.slice(0, 20)) console.log(`problem: ${problem}`);
  if (report.keptFolder !== undefined)
    console.log(`\nThe run's data and the runtime's log are kept in ${report.keptFolder}`);
  const violated = report.invariants.some((row) => row.violations > 0) || report.problems.length > 0;
  return violated ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
