import { inParallel } from '../../lib/app/in-parallel.js';
import { seededRandom } from '../demo/seeded-random.js';
import { CallGaveUpError, CallRefusedError, chaosClient } from './chaos-client.js';
import { checkInvariants, type InvariantRow } from './chaos-invariants.js';
import { callsOf, type LivedPerson, livePerson, mailWatcher, planPeople } from './chaos-traffic.js';
import { settle, startChaosWorld } from './chaos-world.js';

/**
 * A chaos run: DynamoDB Local and the SES emulator started here, for the whole
 * run (DynamoDB does not crash when Lambda does; SES keeps what it accepted), and
 * `npm start -- --persist` as a child process group that is SIGKILLed at random
 * moments and started again while people sign up, confirm, order, get refunded
 * and unsubscribe through the API. Afterwards the run reads everything back and
 * checks the invariants.
 */

export interface ChaosSettings {
  /** Calls to plan; people are added until their calls reach it. */
  calls: number;
  kills: number;
  seed: number;
  /** People living at once. */
  concurrency: number;
  /** Print progress lines. */
  log: (line: string) => void;
}

export interface ChaosReport {
  settings: Omit<ChaosSettings, 'log'>;
  people: number;
  calls: number;
  resends: number;
  kills: number;
  /** Seconds from the first kill's SIGKILL to /health answering again, per restart. */
  restartSeconds: number[];
  trafficSeconds: number;
  settleSeconds: number;
  problems: string[];
  invariants: InvariantRow[];
  /** The data folder and the runtime's log, kept when an invariant failed. */
  keptFolder?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runChaos = async (settings: ChaosSettings): Promise<ChaosReport> => {
  const { log } = settings;
  const world = await startChaosWorld({});
  const { apiUrl, apiKey, runtime } = world;
  let failed = true;
  try {
    log(`runtime up at ${apiUrl}; data in ${world.folder}`);
    const people = planPeople({ calls: settings.calls, seed: settings.seed, runId: world.runId });
    const client = chaosClient({ giveUpAfterMs: 300_000 });
    const mail = mailWatcher(world.sesUrl);
    const random = seededRandom(settings.seed + 1);
    log(`${people.length} people, ${settings.kills} kills`);

    let trafficDone = false;
    const restartSeconds: number[] = [];
    const killTimes: number[] = [];
    const plannedCalls = people.reduce((sum, person) => sum + callsOf(person), 0);
    // Kills are spread over the traffic by progress, at random points, so each lands among calls in flight.
    const killAt = Array.from({ length: settings.kills }, () =>
      Math.floor(random.between(0.05, 0.95) * plannedCalls),
    ).sort((a, b) => a - b);
    const killer = (async () => {
      for (const threshold of killAt) {
        while (!trafficDone && client.ledger().length < threshold) await pause(100);
        await pause(random.between(0, 1_000));
        const killedAt = Date.now();
        killTimes.push(killedAt);
        await runtime.kill();
        await runtime.start();
        restartSeconds.push((Date.now() - killedAt) / 1000);
        log(
          `kill ${restartSeconds.length}/${settings.kills} at ${client.ledger().length} calls: back after ${restartSeconds.at(-1)?.toFixed(1)} s`,
        );
      }
    })();

    const trafficStarted = Date.now();
    const problems: string[] = [];
    const lived = await inParallel(people, settings.concurrency, async (person): Promise<LivedPerson> => {
      try {
        return await livePerson(person, { apiUrl, apiKey, client, mail, mailTimeoutMs: 240_000 });
      } catch (error) {
        if (error instanceof CallRefusedError || error instanceof CallGaveUpError)
          return { person, problems: [error.message] };
        throw error;
      }
    });
    trafficDone = true;
    const trafficSeconds = (Date.now() - trafficStarted) / 1000;
    log(
      `traffic done in ${trafficSeconds.toFixed(0)} s: ${client.ledger().length} calls answered, ${client.resends()} resent`,
    );
    for (const { person, problems: own } of lived)
      for (const problem of own) problems.push(`person ${person.index}: ${problem}`);
    await killer;

    const settleStarted = Date.now();
    await settle(apiUrl, log);
    const settleSeconds = (Date.now() - settleStarted) / 1000;
    const invariants = await checkInvariants({
      apiUrl,
      adminToken: world.adminToken,
      mail,
      people,
      ledger: client.ledger(),
      kills: killTimes,
    });
    failed = invariants.some((row) => row.violations > 0) || problems.length > 0;
    return {
      settings: {
        calls: settings.calls,
        kills: settings.kills,
        seed: settings.seed,
        concurrency: settings.concurrency,
      },
      people: people.length,
      calls: client.ledger().length,
      resends: client.resends(),
      kills: restartSeconds.length,
      restartSeconds,
      trafficSeconds,
      settleSeconds,
      problems,
      invariants,
      ...(failed ? { keptFolder: world.folder } : {}),
    };
  } finally {
    await world.stop(failed);
  }
};
