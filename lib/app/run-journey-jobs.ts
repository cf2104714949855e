import { buysInCategory, productPublishedEvent } from '../domain/catalog.js';
import type { Contact } from '../domain/contact.js';
import { refreshCustomerValue } from '../domain/customer-value.js';
import type { Enrollment } from '../domain/enrollment.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import { endEnrollment } from '../domain/journey-engine.js';
import type { JourneyJob } from '../domain/journey-job.js';
import { migrateEnrollment } from '../domain/migration.js';
import { metricKey, statsScope } from '../domain/stats-keys.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactEventLog } from '../ports/contact-event-log.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';
import type { EnrollmentStore } from '../ports/enrollment-store.js';
import type { JourneyJobStore } from '../ports/journey-job-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { Page } from '../ports/page.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { TimerStore } from '../ports/timer-store.js';
import { scheduleDateTriggers } from './schedule-date-triggers.js';

export interface RunJourneyJobsDeps {
  jobs: JourneyJobStore;
  journeys: Pick<JourneyStore, 'activeForTrigger'>;
  enrollments: Pick<EnrollmentStore, 'activePage' | 'advance'>;
  contacts: Pick<ContactStore, 'page' | 'update'>;
  customerValue: Pick<CustomerValueStore, 'thresholds'>;
  timers: Pick<TimerStore, 'schedule'>;
  stats: StatsStore;
  catalog: Pick<CatalogStore, 'get'>;
  events: ContactEventLog;
  clock: Clock;
  settings: {
    defaultTimeZone: string;
    /** The most `product_published` events one run writes, over all fan-outs (FANOUT_EVENTS_PER_MINUTE). */
    fanOutEventsPerRun: number;
  };
}

export interface RunJourneyJobsOptions {
  /** Checked before every page; true stops the run, and the next one resumes from the saved cursor. */
  outOfTime: () => boolean;
  /** Items per page (and per progress save). Default 100. */
  pageSize?: number;
  /**
   * Pages one job may take per run before the next job's turn (default 20): a
   * rescore of the whole base must not hold a product launch back for a day.
   */
  pagesPerJob?: number;
}

export interface JobProgress {
  jobId: string;
  subject: string;
  kind: JourneyJob['work']['kind'];
  status: JourneyJob['status'];
  counts: JourneyJob['counts'];
}

type ItemOutcome = 'changed' | 'unchanged';

/** How a job reads its list (running enrollments or contacts) and what it does to each item. */
interface Walk<T> {
  page: (job: JourneyJob, limit: number) => Promise<Page<T>>;
  apply: (item: T) => Promise<ItemOutcome>;
  /**
   * How many more items this run may change, shared by the jobs it runs: a page
   * holds no more items than that, so it can never overshoot, and at 0 the walk
   * stops with its cursor saved for the next run.
   */
  allowance?: Allowance;
}

/** A budget of changes for one run, spent as items change. */
interface Allowance {
  remaining: number;
}

const day = (now: Date) => now.toISOString().slice(0, 10);

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
  const pageSize = options.pageSize ?? 100;
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
    for (const item of page.items) {
      try {
        const outcome = await steps.apply(item);
        counts[outcome] += 1;
        counts.seen += 1;
        if (outcome === 'changed' && allowance !== undefined) allowance.remaining -= 1;
      } catch (error) {
        if (error instanceof ConcurrentUpdateError) return current;
        throw error;
      }
    }
    const at = deps.clock.now().toISOString();
    const next: JourneyJob = {
      ...current,
      cursor: page.next ?? current.cursor,
      counts,
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

const finish = async (deps: RunJourneyJobsDeps, job: JourneyJob): Promise<JourneyJob> => {
  const at = deps.clock.now().toISOString();
  const done: JourneyJob = {
    ...job,
    status: 'done',
    finishedAt: at,
    updatedAt: at,
    revision: job.revision + 1,
  };
  await deps.jobs.save(done, job.revision);
  return done;
};

const runJob = async (
  deps: RunJourneyJobsDeps,
  job: JourneyJob,
  options: RunJourneyJobsOptions,
  fanOutAllowance: Allowance,
): Promise<JourneyJob> => {
  const { work, subject: journeyId } = job;
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
          await deps.enrollments.advance(ended, enrollment.version, { messages: [], timers: [] });
          await deps.stats.increment(
            statsScope.journey(journeyId),
            day(now),
            metricKey({ kind: 'finished', status: 'exited' }),
          );
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
      // Read once per run: the events carry the product as it is now, not as it was when published.
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
      return walk(deps, job, options, {
        page: (state, limit) => deps.contacts.page(state.cursor, limit),
        apply: async (contact: Contact) => {
          if (contact.customer === undefined) return 'unchanged';
          const customer = refreshCustomerValue(contact.customer, thresholds, now);
          // The scores carry the time they were taken; only a changed score is worth a write.
          const unstamped = ({ rfm, ...rest }: typeof customer) => ({
            ...rest,
            rfm: { ...rfm, scoredAt: '' },
          });
          if (JSON.stringify(unstamped(customer)) === JSON.stringify(unstamped(contact.customer)))
            return 'unchanged';
          await deps.contacts.update({
            contact: { ...contact, customer, updatedAt: now.toISOString(), version: contact.version + 1 },
            expectedVersion: contact.version,
            consent: [],
            events: [],
            messages: [],
          });
          return 'changed';
        },
      });
    }
    default: {
      const unknownWork: never = work;
      throw new Error(`unknown journey job ${JSON.stringify(unknownWork)}`);
    }
  }
};

/**
 * The journey-jobs schedule: works through pending jobs, oldest first, until
 * they are done or time runs out. Overlapping runs are safe: each page's work is
 * idempotent, and a run whose progress save loses the race stops there.
 */
export const runJourneyJobs = async (
  deps: RunJourneyJobsDeps,
  options: RunJourneyJobsOptions,
): Promise<JobProgress[]> => {
  const progress: JobProgress[] = [];
  // Fan-outs share one budget per run, so the launch of several products at once keeps the rate too.
  const fanOutAllowance: Allowance = { remaining: deps.settings.fanOutEventsPerRun };
  for (const job of await deps.jobs.pending()) {
    if (options.outOfTime()) break;
    let after: JourneyJob;
    try {
      after = await runJob(deps, job, options, fanOutAllowance);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) continue;
      throw error;
    }
    progress.push({
      jobId: after.id,
      subject: after.subject,
      kind: after.work.kind,
      status: after.status,
      counts: after.counts,
    });
  }
  return progress;
};
