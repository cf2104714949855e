import { percentile } from '../bench/percentile.js';
import { seededRandom } from '../demo/seeded-random.js';
import { CallGaveUpError, CallRefusedError, chaosClient, type LedgerEntry } from './chaos-client.js';
import { checkInvariants, type InvariantRow } from './chaos-invariants.js';
import { callsOf, livePerson, mailWatcher, type PlannedPerson, planPeople } from './chaos-traffic.js';
import { settle, startChaosWorld } from './chaos-world.js';
import { findCapacity } from './signup-load.js';

/**
 * The soak: people arriving at a steady rate (half the signup capacity found at
 * the start, in calls a second) for a long while, no kills, the runtime's resident
 * memory sampled every 10 s and every call's latency kept. After a warm-up, the
 * mean memory of the last third must be within 10 % of the first third's (a
 * leak grows; the garbage collectors' sawtooth across the runtime's processes
 * does not), and the p99 of the last third within 1.5× the first's.
 */

export interface MinuteSample {
  minute: number;
  /** Mean resident memory of the runtime's processes over the minute, in MB. */
  residentMb: number;
  calls: number;
  p99Ms: number;
}

export interface SoakVerdict {
  /** (max − min) ÷ min of the per-minute memory after the warm-up: the sawtooth, shown, not judged. */
  memorySpread: number;
  /** Mean memory of the first and the last third after the warm-up, in MB, and last ÷ first − 1. */
  firstThirdMb: number;
  lastThirdMb: number;
  memoryGrowth: number;
  memoryFlat: boolean;
  firstThirdP99Ms: number;
  lastThirdP99Ms: number;
  latencySteady: boolean;
}

export interface SoakReport {
  minutes: number;
  warmUpMinutes: number;
  /** The signup rate found to hold, when the run looked for it. */
  capacityCallsPerSecond?: number;
  callsPerSecond: number;
  people: number;
  calls: number;
  samples: MinuteSample[];
  verdict: SoakVerdict;
  invariants: InvariantRow[];
  problems: string[];
}

export const memoryTolerance = 0.1;
export const latencyDriftTolerance = 1.5;

/** Flat and steady, or not, from the minutes after the warm-up and the calls answered in them. */
export const soakVerdict = (
  samples: readonly MinuteSample[],
  ledger: readonly LedgerEntry[],
  window: { startedAt: number; warmUpMinutes: number; minutes: number },
): SoakVerdict => {
  const span = window.minutes - window.warmUpMinutes;
  const after = samples.filter(
    (sample) =>
      sample.minute >= window.warmUpMinutes && sample.minute < window.minutes && sample.residentMb > 0,
  );
  const memory = after.map((sample) => sample.residentMb);
  const low = Math.min(...memory);
  const memorySpread = memory.length === 0 ? Number.NaN : (Math.max(...memory) - low) / low;
  const meanMbIn = (from: number, to: number): number => {
    const inThird = after.filter((sample) => sample.minute >= from && sample.minute < to);
    return inThird.reduce((sum, sample) => sum + sample.residentMb, 0) / inThird.length;
  };
  const firstThirdMb = meanMbIn(window.warmUpMinutes, window.warmUpMinutes + span / 3);
  const lastThirdMb = meanMbIn(window.minutes - span / 3, window.minutes);
  const memoryGrowth = lastThirdMb / firstThirdMb - 1;
  const from = window.startedAt + window.warmUpMinutes * 60_000;
  const third = (span * 60_000) / 3;
  const latenciesIn = (start: number, end: number) =>
    ledger
      .filter((entry) => entry.answeredAt >= start && entry.answeredAt < end)
      .map((entry) => entry.latencyMs);
  const firstThirdP99Ms = percentile(latenciesIn(from, from + third), 0.99);
  const lastThirdP99Ms = percentile(latenciesIn(from + 2 * third, from + 3 * third), 0.99);
  return {
    memorySpread,
    firstThirdMb,
    lastThirdMb,
    memoryGrowth,
    memoryFlat: Number.isFinite(memoryGrowth) && memoryGrowth <= memoryTolerance,
    firstThirdP99Ms,
    lastThirdP99Ms,
    latencySteady: lastThirdP99Ms <= firstThirdP99Ms * latencyDriftTolerance,
  };
};

/** The minutes, memory and latency, printed as soon as the traffic ends (the invariants take a while after). */
export const soakSummary = (report: Omit<SoakReport, 'invariants' | 'problems'>): string =>
  [
    `${report.minutes} min at ${report.callsPerSecond.toFixed(1)} calls/s${report.capacityCallsPerSecond === undefined ? '' : ` (signup capacity ${report.capacityCallsPerSecond}/s)`}: ${report.people} people, ${report.calls} calls`,
    'minute  resident MB  calls  p99 ms',
    ...report.samples.map(
      (sample) =>
        `${String(sample.minute).padStart(6)}  ${sample.residentMb.toFixed(0).padStart(11)}  ${String(sample.calls).padStart(5)}  ${(Number.isNaN(sample.p99Ms) ? '–' : sample.p99Ms.toFixed(0)).padStart(6)}`,
    ),
    `memory after ${report.warmUpMinutes} min of warm-up: ${report.verdict.firstThirdMb.toFixed(0)} MB in the first third, ${report.verdict.lastThirdMb.toFixed(0)} MB in the last (${(100 * report.verdict.memoryGrowth).toFixed(1)} %; flat: ${report.verdict.memoryFlat}); minute to minute it spread ${(100 * report.verdict.memorySpread).toFixed(1)} %`,
    `p99 first third ${report.verdict.firstThirdP99Ms.toFixed(0)} ms, last third ${report.verdict.lastThirdP99Ms.toFixed(0)} ms (steady: ${report.verdict.latencySteady})`,
  ].join('\n');

export const runSoak = async (options: {
  minutes: number;
  warmUpMinutes: number;
  seed: number;
  /** Calls a second; without it, half the signup rate the stack is found to hold. */
  callsPerSecond?: number;
  log: (line: string) => void;
}): Promise<SoakReport> => {
  const { log } = options;
  const world = await startChaosWorld({ env: { SIGNUP_LIMIT_PER_FORM: '1000000/PT1M' } });
  let failed = true;
  try {
    let capacityRate: number | undefined;
    if (options.callsPerSecond === undefined) {
      capacityRate = (await findCapacity(world, { seconds: 30, stepSeconds: 10, log })).capacity.rate;
      await settle(world.apiUrl, log);
    }
    // A person's life is about five calls; signups are the heaviest, so a signup rate is a fair proxy for calls.
    const callsPerSecond = options.callsPerSecond ?? (capacityRate ?? 2) / 2;
    const planned = planPeople({
      calls: Math.ceil(callsPerSecond * options.minutes * 60),
      seed: options.seed,
      runId: world.runId,
    });
    const meanCalls = planned.reduce((sum, person) => sum + callsOf(person), 0) / planned.length;
    const arrivalMs = (1000 * meanCalls) / callsPerSecond;
    log(
      `soak: ${callsPerSecond.toFixed(1)} calls/s${capacityRate === undefined ? '' : ` (half of ${capacityRate} signups/s)`} for ${options.minutes} min`,
    );

    const client = chaosClient({ giveUpAfterMs: 300_000 });
    const mail = mailWatcher(world.sesUrl);
    const startedAt = Date.now();
    const endAt = startedAt + options.minutes * 60_000;
    const samples: MinuteSample[] = [];
    const resident: number[][] = [];
    const sampler = setInterval(() => {
      const minute = Math.floor((Date.now() - startedAt) / 60_000);
      void world.runtime.residentBytes().then((bytes) => {
        const values = resident[minute] ?? [];
        values.push(bytes / 1_048_576);
        resident[minute] = values;
      });
    }, 10_000);
    const lives: Array<Promise<string[]>> = [];
    const people: PlannedPerson[] = [];
    const random = seededRandom(options.seed + 2);
    for (const person of planned) {
      if (Date.now() >= endAt) break;
      people.push(person);
      lives.push(
        livePerson(person, {
          apiUrl: world.apiUrl,
          apiKey: world.apiKey,
          client,
          mail,
          mailTimeoutMs: 240_000,
        }).then(
          (lived) => lived.problems.map((problem) => `person ${person.index}: ${problem}`),
          (error: unknown) => {
            if (error instanceof CallRefusedError || error instanceof CallGaveUpError) return [error.message];
            throw error;
          },
        ),
      );
      // Poisson arrivals around the mean, as visitors come.
      await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - random.next()) * arrivalMs));
    }
    const problems = (await Promise.all(lives)).flat();
    clearInterval(sampler);
    for (const [minute, values] of resident.entries()) {
      if (values === undefined) continue;
      const inMinute = client
        .ledger()
        .filter((entry) => Math.floor((entry.answeredAt - startedAt) / 60_000) === minute)
        .map((entry) => entry.latencyMs);
      samples.push({
        minute,
        residentMb: values.reduce((sum, value) => sum + value, 0) / values.length,
        calls: inMinute.length,
        p99Ms: percentile(inMinute, 0.99),
      });
    }
    const verdict = soakVerdict(samples, client.ledger(), {
      startedAt,
      warmUpMinutes: options.warmUpMinutes,
      minutes: options.minutes,
    });
    const traffic = {
      minutes: options.minutes,
      warmUpMinutes: options.warmUpMinutes,
      ...(capacityRate === undefined ? {} : { capacityCallsPerSecond: capacityRate }),
      callsPerSecond,
      people: people.length,
      calls: client.ledger().length,
      samples,
      verdict,
    };
    log(`\n${soakSummary(traffic)}\n\nchecking the invariants…`);
    await settle(world.apiUrl, log);
    const invariants = await checkInvariants({
      apiUrl: world.apiUrl,
      adminToken: world.adminToken,
      mail,
      people,
      ledger: client.ledger(),
      kills: [],
    });
    failed =
      !verdict.memoryFlat ||
      !verdict.latencySteady ||
      problems.length > 0 ||
      invariants.some((row) => row.violations > 0);
    return { ...traffic, invariants, problems };
  } finally {
    await world.stop(failed);
  }
};
