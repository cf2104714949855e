import { buysInCategory, productPublishedEvent } from '../domain/catalog.js';
import type { Contact } from '../domain/contact.js';
import { refreshCustomerValue } from '../domain/customer-value.js';
import type { Enrollment } from '../domain/enrollment.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import { endEnrollment } from '../domain/journey-engine.js';
import { type JobResult, type JourneyJob, segmentSampleSize } from '../domain/journey-job.js';
import { migrateEnrollment } from '../domain/migration.js';
import type { Product } from '../domain/product.js';
import { withLearnedReplacements } from '../domain/replacement-cycles.js';
import { matcherFor } from '../domain/segment-condition.js';
import { metricKey, statsScope } from '../domain/stats-keys.js';
import type { CampaignAudienceStore, CampaignStore } from '../ports/campaign-store.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactEventLog } from '../ports/contact-event-log.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';
import type { EnrollmentStore } from '../ports/enrollment-store.js';
import type { JourneyJobStore } from '../ports/journey-job-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { Outbox } from '../ports/outbox.js';
import type { Page } from '../ports/page.js';
import type { SegmentStore } from '../ports/segment-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { TimerStore } from '../ports/timer-store.js';
import {
  type CampaignJobPlan,
  type CampaignSendStep,
  planCampaignLaunch,
  planCampaignSend,
  settleCampaignFinish,
} from './campaign-jobs.js';
import { type RefreshSegmentMembershipDeps, refreshSegmentMembership } from './refresh-segment-membership.js';
import { scheduleDateTriggers } from './schedule-date-triggers.js';
import type { ItemOutcome, WalkStep } from './walk-step.js';

export interface RunJourneyJobsDeps {
  jobs: JourneyJobStore;
  journeys: Pick<JourneyStore, 'activeForTrigger'>;
  enrollments: Pick<EnrollmentStore, 'activePage' | 'advance'>;
  contacts: Pick<ContactStore, 'page' | 'update'>;
  customerValue: Pick<CustomerValueStore, 'thresholds' | 'cycles'>;
  timers: Pick<TimerStore, 'schedule'>;
  stats: StatsStore;
  campaigns: Pick<CampaignStore, 'get' | 'update'>;
  campaignAudience: CampaignAudienceStore;
  /** Where a campaign's messages are written at their slots. */
  outbox: Pick<Outbox, 'enqueue'>;
  catalog: Pick<CatalogStore, 'get'>;
  segments: Pick<SegmentStore, 'get'>;
  /** The live segments' evaluation, for the nightly pass and after a rescore (which writes no event). */
  segmentMembership: RefreshSegmentMembershipDeps;
  events: ContactEventLog;
  clock: Clock;
  settings: {
    defaultTimeZone: string;
    /** The most `product_published` events one run writes, over all fan-outs (FANOUT_EVENTS_PER_MINUTE). */
    fanOutEventsPerRun: number;
    /** A campaign's messages a second when it names no `sendRate` (CAMPAIGN_SEND_RATE); 14 by default. */
    campaignSendRate?: number;
  };
}

export interface RunJourneyJobsOptions {
  /** Checked before every page; true stops the run, and the next one resumes from the saved cursor. */
  outOfTime: () => boolean;
  /** Items per page (and per progress save). Default 100. */
  pageSize?: number;
  /**
   * Pages one job takes per turn before the next job's turn (default 20): a
   * rescore of the whole base must not hold a product launch back for a day.
   * Turns go round the pending jobs again while time remains.
   */
  pagesPerJob?: number;
  /**
   * A job that asks to go on before this instant (a campaign's next slot, a
   * second away) waits for it in this run, while the others take their turns;
   * one that asks for later is set aside (`runAfter`) for a later run. Without
   * it every such job is set aside. The schedule sets it just before its next
   * run, so two runs do not send the same slots.
   */
  paceUntil?: Date;
}

export interface JobProgress {
  jobId: string;
  subject: string;
  kind: JourneyJob['work']['kind'];
  status: JourneyJob['status'];
  counts: JourneyJob['counts'];
}

/** How a job reads its list (running enrollments or contacts) and what it does to each item. */
type Walk<T> = WalkStep<T> & {
  page: (job: JourneyJob, limit: number) => Promise<Page<T>>;
  /**
   * How many more items this run may change, shared by the jobs it runs: a page
   * holds no more items than that, so it can never overshoot, and at 0 the walk
   * stops with its cursor saved for the next run.
   */
  allowance?: Allowance;
  /** Folds each item into the job's result (a count's members and sample), saved with the page's cursor. */
  tally?: (result: JobResult | undefined, item: T) => JobResult;
  /** Items per page when the run sets none. */
  pageSize?: number;
};

/** A job after its turn, and when it asked to go on if it must wait (for its next slot, say). */
interface Turn {
  job: JourneyJob;
  wakeAt?: Date;
}

/** A budget of changes for one run, spent as items change. */
interface Allowance {
  remaining: number;
}

const day = (now: Date) => now.toISOString().slice(0, 10);

/** Each item's outcome, in page order: item by item, or the page at once. */
const applyAll = async <T>(step: WalkStep<T>, items: readonly T[]): Promise<ItemOutcome[]> => {
  if (step.applyPage !== undefined) return step.applyPage(items);
  const outcomes: ItemOutcome[] = [];
  for (const item of items) outcomes.push(await step.apply(item));
  return outcomes;
};

/**
 * Pages through the list from the job's cursor, saving progress after every
 * page. An item changed under it (a conflict) ends the run before the page is
 * saved: the next run redoes that page, where finished items are left as they are.
 */
const walk = async <T>(
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  options: RunJourneyJobsOptions,
  steps: Walk<T>,
): Promise<JourneyJob> => {
  let current = job;
  const { allowance } = steps;
  const pageSize = options.pageSize ?? steps.pageSize ?? 100;
  let turns = options.pagesPerJob ?? 20;
  while (
    current.status === 'pending' &&
    !options.outOfTime() &&
    (allowance?.remaining ?? 1) > 0 &&
    turns > 0
  ) {
    turns -= 1;
    const page = await steps.page(current, Math.min(pageSize, allowance?.remaining ?? pageSize));
    const counts = { ...current.counts };
    let result = current.result;
    let outcomes: ItemOutcome[];
    try {
      outcomes = await applyAll(steps, page.items);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return current;
      throw error;
    }
    page.items.forEach((item, index) => {
      const outcome = outcomes[index] ?? 'unchanged';
      counts[outcome] += 1;
      counts.seen += 1;
      if (steps.tally !== undefined) result = steps.tally(result, item);
      if (outcome === 'changed' && allowance !== undefined) allowance.remaining -= 1;
    });
    const at = deps.clock.now().toISOString();
    const next: JourneyJob = {
      ...current,
      cursor: page.next ?? current.cursor,
      counts,
      ...(result === undefined ? {} : { result }),
      status: page.next === undefined ? 'done' : 'pending',
      ...(page.next === undefined ? { finishedAt: at } : {}),
      updatedAt: at,
      revision: current.revision + 1,
    };
    await deps.jobs.save(next, current.revision);
    current = next;
  }
  return current;
};

/** Saves the job as `changes` leave it, over the revision it was read at. */
const saveJob = async (
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  changes: Pick<Partial<JourneyJob>, 'status' | 'error' | 'finishedAt' | 'runAfter' | 'updatedAt'>,
): Promise<JourneyJob> => {
  const saved: JourneyJob = { ...job, ...changes, revision: job.revision + 1 };
  await deps.jobs.save(saved, job.revision);
  return saved;
};

const finish = (deps: RunJourneyJobsDeps, job: JourneyJob): Promise<JourneyJob> => {
  const at = deps.clock.now().toISOString();
  return saveJob(deps, job, { status: 'done', finishedAt: at, updatedAt: at });
};

/** Ends a job that can no longer do what it was filed for, saying why. */
const fail = (deps: RunJourneyJobsDeps, job: JourneyJob, error: string): Promise<JourneyJob> => {
  const at = deps.clock.now().toISOString();
  return saveJob(deps, job, { status: 'failed', error, finishedAt: at, updatedAt: at });
};

/** Sets a job aside until `until`: the schedule skips it before then. */
const postpone = (deps: RunJourneyJobsDeps, job: JourneyJob, until: Date): Promise<JourneyJob> =>
  saveJob(deps, job, { runAfter: until.toISOString(), updatedAt: deps.clock.now().toISOString() });

/**
 * Steps a paced send until it must wait for a slot, is done, or its turn is
 * spent, saving its cursor and pace after each step that moved them: the
 * messages are written before, so a step redone after a crash finds them.
 */
const send = async (
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  options: RunJourneyJobsOptions,
  step: CampaignSendStep,
): Promise<Turn> => {
  let current = job;
  let turns = options.pagesPerJob ?? 20;
  while (current.status === 'pending' && !options.outOfTime() && turns > 0) {
    turns -= 1;
    const progress = await step(current, options.pageSize ?? 100);
    const moved =
      progress.done ||
      JSON.stringify([progress.cursor, progress.pacing]) !== JSON.stringify([current.cursor, current.pacing]);
    if (moved) {
      const at = deps.clock.now().toISOString();
      const { runAfter: _waitedFor, ...rest } = current;
      const next: JourneyJob = {
        ...rest,
        cursor: progress.cursor,
        pacing: progress.pacing,
        counts: {
          seen: current.counts.seen + progress.seen,
          changed: current.counts.changed + progress.written,
          unchanged: current.counts.unchanged + progress.seen - progress.written,
        },
        status: progress.done ? 'done' : 'pending',
        ...(progress.done ? { finishedAt: at } : {}),
        updatedAt: at,
        revision: current.revision + 1,
      };
      await deps.jobs.save(next, current.revision);
      current = next;
    }
    if (progress.wakeAt !== undefined) return { job: current, wakeAt: progress.wakeAt };
  }
  return { job: current };
};

/** Does what a campaign job's plan says; a postponement is the run's to place (see `paceUntil`). */
const carryOut = async <T>(
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  options: RunJourneyJobsOptions,
  plan: CampaignJobPlan<T>,
): Promise<Turn> => {
  switch (plan.kind) {
    case 'walk':
      return { job: await walk(deps, job, options, plan.walk) };
    case 'send':
      return send(deps, job, options, plan.step);
    case 'finish':
      return { job: await finish(deps, job) };
    case 'fail':
      return { job: await fail(deps, job, plan.error) };
    case 'postpone':
      return { job, wakeAt: plan.until };
    default: {
      const unknownPlan: never = plan;
      throw new Error(`unknown campaign job plan ${JSON.stringify(unknownPlan)}`);
    }
  }
};

/** A segment's members counted so far, and the first few of them. */
const countMember =
  (isMember: (contact: Contact) => boolean) =>
  (result: JobResult | undefined, contact: Contact): JobResult => {
    const counted = result ?? { members: 0, sample: [] };
    if (!isMember(contact)) return counted;
    return {
      members: counted.members + 1,
      sample: counted.sample.length < segmentSampleSize ? [...counted.sample, contact.id] : counted.sample,
    };
  };

/** The jobs that walk a list to its end: everything but a campaign's. */
type WalkWork = Exclude<JourneyJob['work'], { kind: `campaign-${string}` }>;

const runWalkJob = async (
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  work: WalkWork,
  options: RunJourneyJobsOptions,
  fanOutAllowance: Allowance,
): Promise<JourneyJob> => {
  const { subject: journeyId } = job;
  const now = deps.clock.now();
  const enrollmentPage = (current: JourneyJob, limit: number) =>
    deps.enrollments.activePage(journeyId, current.cursor, limit);
  switch (work.kind) {
    case 'migrate':
      return walk(deps, job, options, {
        page: enrollmentPage,
        apply: async (enrollment: Enrollment) => {
          const moved = migrateEnrollment(enrollment, work.fromVersion, work.toVersion, work.mapping, now);
          if (moved === undefined) return 'unchanged';
          await deps.enrollments.advance(moved, enrollment.version, { messages: [], timers: [] });
          return 'changed';
        },
      });
    case 'archive':
      return walk(deps, job, options, {
        page: enrollmentPage,
        apply: async (enrollment: Enrollment) => {
          if (enrollment.status !== 'active') return 'unchanged';
          const ended = endEnrollment(enrollment, now, 'journey archived');
          // Counted with the step: a page done again finds the enrollment ended and counts nothing.
          await deps.enrollments.advance(ended, enrollment.version, {
            messages: [],
            timers: [],
            counters: [
              {
                scope: statsScope.journey(journeyId),
                day: day(now),
                metric: metricKey({ kind: 'finished', status: 'exited' }),
                by: 1,
              },
            ],
          });
          return 'changed';
        },
      });
    case 'date-backfill': {
      const active = await deps.journeys.activeForTrigger('date_reached');
      const current = active.find((journey) => journey.definition.id === journeyId);
      // Paused, archived or superseded since: a resume or a newer publish files its own backfill.
      if (current?.version !== work.version) return finish(deps, job);
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) =>
          (await scheduleDateTriggers(deps, contact, now, [current])) > 0 ? 'changed' : 'unchanged',
      });
    }
    case 'product-fan-out': {
      // Read once per turn: the events carry the product as it is now, not as it was when published.
      const product = (await deps.catalog.get(work.sku))?.product;
      // Removed since: there is nothing left to announce.
      if (product === undefined) return finish(deps, job);
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) => {
          if (!buysInCategory(contact, work.category)) return 'unchanged';
          return (await deps.events.append(productPublishedEvent(product, contact.id, deps.clock.now())))
            ? 'changed'
            : 'unchanged';
        },
        allowance: fanOutAllowance,
      });
    }
    case 'customer-rescore': {
      const thresholds = await deps.customerValue.thresholds();
      // A newer refresh replaced the cuts this job was filed for; its own job rescores.
      if (thresholds?.computedAt !== work.thresholdsAt) return finish(deps, job);
      const cycles = await deps.customerValue.cycles();
      // The catalog's cycles are on the cards already (an order's products get them as it arrives).
      const noCatalog = new Map<string, Product>();
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) => {
          if (contact.customer === undefined) return 'unchanged';
          const dated =
            cycles === undefined
              ? contact.customer
              : withLearnedReplacements(contact.customer, cycles, noCatalog);
          const customer = refreshCustomerValue(dated, thresholds, now);
          // The scores carry the time they were taken; only a changed score is worth a write.
          const unstamped = ({ rfm, ...rest }: typeof customer) => ({
            ...rest,
            rfm: { ...rfm, scoredAt: '' },
          });
          if (JSON.stringify(unstamped(customer)) === JSON.stringify(unstamped(contact.customer)))
            return 'unchanged';
          const rescored = {
            ...contact,
            customer,
            updatedAt: now.toISOString(),
            version: contact.version + 1,
          };
          await deps.contacts.update({
            contact: rescored,
            expectedVersion: contact.version,
            consent: [],
            events: [],
            messages: [],
          });
          // A new tier or score writes no event for the stream to evaluate segments on.
          await refreshSegmentMembership(deps.segmentMembership, rescored);
          return 'changed';
        },
      });
    }
    case 'engagement-start': {
      const { startedAt } = work;
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) => {
          if (contact.lastEngagedAt !== undefined) return 'unchanged';
          const started = {
            ...contact,
            lastEngagedAt: startedAt,
            updatedAt: now.toISOString(),
            version: contact.version + 1,
          };
          await deps.contacts.update({
            contact: started,
            expectedVersion: contact.version,
            consent: [],
            events: [],
            messages: [],
          });
          // The date leaves the live segments that read it (re-engagement-due); no event says so.
          await refreshSegmentMembership(deps.segmentMembership, started);
          return 'changed';
        },
      });
    }
    case 'segment-refresh':
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) =>
          (await refreshSegmentMembership(deps.segmentMembership, contact)).some(
            (change) => change.change !== 'failed',
          )
            ? 'changed'
            : 'unchanged',
      });
    case 'segment-count': {
      const segment = await deps.segments.get(work.segmentId);
      // A count is of one condition: one changed or removed halfway would give a number that means nothing.
      if (segment?.version !== work.version) {
        return fail(
          deps,
          job,
          segment === undefined
            ? `segment "${work.segmentId}" was deleted before the count finished`
            : `segment "${work.segmentId}" changed (version ${segment.version}) before the count of version ${work.version} finished; count it again`,
        );
      }
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async () => 'unchanged',
        tally: countMember(matcherFor(segment.condition, new Date(work.at))),
      });
    }
    default: {
      const unknownWork: never = work;
      throw new Error(`unknown journey job ${JSON.stringify(unknownWork)}`);
    }
  }
};

const runJob = async (
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  options: RunJourneyJobsOptions,
  fanOutAllowance: Allowance,
): Promise<Turn> => {
  const { work } = job;
  switch (work.kind) {
    case 'campaign-launch':
      return carryOut(deps, job, options, await planCampaignLaunch(deps, job, work));
    case 'campaign-send':
      return carryOut(deps, job, options, await planCampaignSend(deps, job, work));
    case 'campaign-finish':
      return carryOut(deps, job, options, await settleCampaignFinish(deps, job, work));
    default:
      return { job: await runWalkJob(deps, job, work, options, fanOutAllowance) };
  }
};

/** How often a run that waits for a campaign's slots looks for jobs filed since it started. */
export const pendingRelistMs = 5_000;

/**
 * The journey-jobs schedule: works through pending jobs, oldest first, in turns
 * of `pagesPerJob` pages each, and goes round them again until they are done or
 * time runs out, so one long walk neither holds the others back nor leaves the
 * run's budget unused. A job leaves the round when it is done, failed or
 * waiting (in this run until `paceUntil`, else set aside for a later one), when
 * its turn moved nothing (a conflict, a spent allowance), or when another run's
 * save beat it. Overlapping runs are safe: each page's work is idempotent, and a
 * run whose progress save loses the race stops that job there.
 */
export const runJourneyJobs = async (
  deps: RunJourneyJobsDeps,
  options: RunJourneyJobsOptions,
): Promise<JobProgress[]> => {
  const progress = new Map<string, JobProgress>();
  // Fan-outs share one budget per run, so the launch of several products at once keeps the rate too.
  const fanOutAllowance: Allowance = { remaining: deps.settings.fanOutEventsPerRun };
  const isDue = (job: JourneyJob) =>
    job.runAfter === undefined || job.runAfter <= deps.clock.now().toISOString();
  let round = (await deps.jobs.pending()).filter(isDue);
  let listedAt = deps.clock.now().getTime();
  const known = new Set(round.map((job) => job.id));
  /** Jobs waiting in this run for their time (a campaign's next slot). */
  let waiting: Array<Required<Turn>> = [];
  const wakeDue = () => {
    const now = deps.clock.now();
    const woken = waiting.filter((turn) => turn.wakeAt <= now).map((turn) => turn.job);
    waiting = waiting.filter((turn) => turn.wakeAt > now);
    return woken;
  };
  while (!options.outOfTime()) {
    if (round.length === 0) {
      const soonest = Math.min(...waiting.map((turn) => turn.wakeAt.getTime()));
      if (!Number.isFinite(soonest)) break;
      // A second at a most, so a run whose time is up (or whose runtime is stopping) notices.
      const wait = Math.min(soonest - deps.clock.now().getTime(), 1_000);
      if (wait > 0) await deps.clock.sleep(wait);
      round = wakeDue();
      // A job filed meanwhile (a count asked for while a campaign sends) need not wait for the next run.
      if (deps.clock.now().getTime() - listedAt >= pendingRelistMs) {
        listedAt = deps.clock.now().getTime();
        const filed = (await deps.jobs.pending()).filter((job) => !known.has(job.id) && isDue(job));
        for (const job of filed) known.add(job.id);
        round.push(...filed);
      }
      continue;
    }
    const again: JourneyJob[] = [];
    for (const job of round) {
      if (options.outOfTime()) break;
      let turn: Turn;
      try {
        turn = await runJob(deps, job, options, fanOutAllowance);
        const after = turn.job;
        progress.set(after.id, {
          jobId: after.id,
          subject: after.subject,
          kind: after.work.kind,
          status: after.status,
          counts: after.counts,
        });
        if (after.status !== 'pending') continue;
        const { wakeAt } = turn;
        if (wakeAt === undefined) {
          if (after.revision !== job.revision) again.push(after);
        } else if (options.paceUntil !== undefined && wakeAt <= options.paceUntil)
          waiting.push({ job: after, wakeAt });
        else await postpone(deps, after, wakeAt);
      } catch (error) {
        if (error instanceof ConcurrentUpdateError) continue;
        throw error;
      }
    }
    round = [...again, ...wakeDue()];
  }
  return [...progress.values()];
};
