import { z } from 'zod';
import { inParallel } from '../../lib/app/in-parallel.js';
import { type Ceiling, measureCeiling } from '../bench/ceiling.js';
import { percentile } from '../bench/percentile.js';
import { subjects } from './chaos-traffic.js';
import { type ChaosWorld, settle, startChaosWorld } from './chaos-world.js';

/**
 * Signups at a fixed rate (open loop: one is sent every 1/rate seconds whether or
 * not the earlier ones were answered, as visitors arrive), to find the highest
 * rate the local stack holds and to see what it does at twice that: every caller
 * answered, 2xx or 429/503 with `Retry-After`, none left hanging or cut off, and
 * every 2xx a contact with one confirmation email.
 */

export interface RateStep {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  /** 429 or 503 with Retry-After. */
  turnedAway: number;
  /** Any other answer, or a 429/503 without Retry-After. */
  otherAnswers: number;
  /** No answer at all: connection cut, timeout. */
  unanswered: number;
  p50Ms: number;
  p99Ms: number;
  /** Addresses whose signup was answered 2xx, and those turned away. */
  accepted: string[];
  refused: string[];
}

export interface SignupLoadReport {
  ceiling: Ceiling;
  search: RateStep[];
  /** The highest rate held for the confirmation window without a refusal and with p99 under `holdsP99Ms`. */
  capacity: RateStep;
  overload: RateStep;
  /** Every 2xx signup of both windows, checked after the stack settled. */
  checked: number;
  missingContacts: string[];
  wrongConfirmations: string[];
  /** Addresses turned away that became contacts anyway (a refusal must store nothing). */
  storedDespiteRefusal: string[];
}

/** What "holds" means: every signup answered 2xx, and 99 % of them within a second. */
export const holdsP99Ms = 1_000;

export const holds = (step: RateStep): boolean =>
  step.ok === step.sent && step.sent > 0 && step.p99Ms < holdsP99Ms;

let sequence = 0;

export const signupsAtRate = async (world: ChaosWorld, rate: number, seconds: number): Promise<RateStep> => {
  const latencies: number[] = [];
  const step: RateStep = {
    rate,
    seconds,
    sent: 0,
    ok: 0,
    turnedAway: 0,
    otherAnswers: 0,
    unanswered: 0,
    p50Ms: 0,
    p99Ms: 0,
    accepted: [],
    refused: [],
  };
  const one = async (email: string): Promise<void> => {
    const started = performance.now();
    try {
      const response = await fetch(`${world.apiUrl}/v1/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, consent: true, form: 'load' }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.text();
      latencies.push(performance.now() - started);
      if (response.ok) {
        step.ok += 1;
        step.accepted.push(email);
      } else if (
        (response.status === 429 || response.status === 503) &&
        response.headers.has('retry-after')
      ) {
        step.turnedAway += 1;
        step.refused.push(email);
      } else step.otherAnswers += 1;
    } catch {
      step.unanswered += 1;
    }
  };
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let n = 0; n < rate * seconds; n += 1) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sequence += 1;
    pending.push(one(`load-${world.runId}-${sequence}@example.com`));
    step.sent += 1;
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  step.p50Ms = percentile(latencies, 0.5);
  step.p99Ms = percentile(latencies, 0.99);
  return step;
};

/** Rates rising by half each step while they hold; the last that held, confirmed over `seconds`. */
export const findCapacity = async (
  world: ChaosWorld,
  options: { seconds: number; stepSeconds: number; log: (line: string) => void },
): Promise<{ search: RateStep[]; capacity: RateStep }> => {
  const search: RateStep[] = [];
  let rate = 8;
  let held: number | undefined;
  for (;;) {
    const step = await signupsAtRate(world, rate, options.stepSeconds);
    search.push(step);
    options.log(`  ${rate}/s for ${options.stepSeconds} s: ${describeStep(step)}`);
    if (!holds(step)) break;
    held = rate;
    rate = Math.round(rate * 1.5);
  }
  let candidate = held ?? Math.max(1, Math.floor(rate / 2));
  for (;;) {
    const capacity = await signupsAtRate(world, candidate, options.seconds);
    options.log(`  ${candidate}/s for ${options.seconds} s: ${describeStep(capacity)}`);
    if (holds(capacity) || candidate === 1) return { search, capacity };
    search.push(capacity);
    candidate = Math.max(1, Math.floor(candidate * 0.8));
  }
};

export const describeStep = (step: RateStep): string =>
  `${step.ok} ok, ${step.turnedAway} turned away, ${step.otherAnswers} other, ${step.unanswered} unanswered; p50 ${step.p50Ms.toFixed(0)} ms, p99 ${step.p99Ms.toFixed(0)} ms`;

const StoredEmails = z.object({
  emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }), subject: z.string() })),
});

export const runSignupLoad = async (options: {
  seconds: number;
  log: (line: string) => void;
}): Promise<SignupLoadReport> => {
  const { log } = options;
  // The run measures the stack, not the signup form's own limits (each tested on its own), so those are lifted.
  const world = await startChaosWorld({ env: { SIGNUP_LIMIT_PER_FORM: '1000000/PT1M' } });
  let failed = true;
  try {
    const ceiling = await measureCeiling(world.dynamoEndpoint, 'PutItem', 50, 5);
    log(`DynamoDB Local ceiling: ${ceiling.perSecond.toFixed(0)} PutItem/s at 50 in flight`);
    const { search, capacity } = await findCapacity(world, {
      seconds: options.seconds,
      stepSeconds: 15,
      log,
    });
    const overload = await signupsAtRate(world, capacity.rate * 2, options.seconds);
    log(`  ${capacity.rate * 2}/s (twice) for ${options.seconds} s: ${describeStep(overload)}`);
    await settle(world.apiUrl, log);

    const accepted = [...capacity.accepted, ...overload.accepted];
    const refused = [...overload.refused, ...capacity.refused];
    const mail = StoredEmails.parse(await (await fetch(`${world.sesUrl}/store`)).json()).emails;
    const confirmations = new Map<string, number>();
    for (const email of mail)
      if (email.subject.startsWith(subjects.confirmation))
        for (const to of email.destination.to) confirmations.set(to, (confirmations.get(to) ?? 0) + 1);
    const exists = async (email: string): Promise<boolean> =>
      world.admin('GET', `/admin/contacts?email=${encodeURIComponent(email)}`).then(
        () => true,
        () => false,
      );
    const present = await inParallel(accepted, 8, exists);
    const missingContacts = accepted.filter((_, index) => present[index] !== true);
    const wrongConfirmations = accepted
      .filter((email) => confirmations.get(email) !== 1)
      .map((email) => `${email}: ${confirmations.get(email) ?? 0}`);
    const refusedPresent = await inParallel(refused, 8, exists);
    const storedDespiteRefusal = refused.filter((_, index) => refusedPresent[index] === true);
    failed = missingContacts.length + wrongConfirmations.length + storedDespiteRefusal.length > 0;
    return {
      ceiling,
      search,
      capacity,
      overload,
      checked: accepted.length,
      missingContacts,
      wrongConfirmations,
      storedDespiteRefusal,
    };
  } finally {
    await world.stop(failed);
  }
};
