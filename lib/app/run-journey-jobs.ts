import type { Contact } from '../domain/contact.js';
import type { Enrollment } from '../domain/enrollment.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import { endEnrollment } from '../domain/journey-engine.js';
import type { JourneyJob } from '../domain/journey-job.js';
import { migrateEnrollment } from '../domain/migration.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
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
  contacts: Pick<ContactStore, 'page'>;
  timers: Pick<TimerStore, 'schedule'>;
  stats: StatsStore;
  clock: Clock;
  settings: { defaultTimeZone: string };
}

export interface RunJourneyJobsOptions {
  /** Checked before every page; true stops the run, and the next one resumes from the saved cursor. */
  outOfTime: () => boolean;
  /** Items per page (and per progress save). Default 100. */
  pageSize?: number;
}

export interface JobProgress {
  jobId: string;
  journeyId: string;
  kind: JourneyJob['work']['kind'];
  status: JourneyJob['status'];
  counts: JourneyJob['counts'];
}

type ItemOutcome = 'changed' | 'unchanged';

/** How a job reads its list (running enrollments or contacts) and what it does to each item. */
interface Walk<T> {
  page: (job: JourneyJob, limit: number) => Promise<Page<T>>;
  apply: (item: T) => Promise<ItemOutcome>;
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
  while (current.status === 'pending' && !options.outOfTime()) {
    const page = await steps.page(current, options.pageSize ?? 100);
    const counts = { ...current.counts };
    for (const item of page.items) {
      try {
        counts[await steps.apply(item)] += 1;
        counts.seen += 1;
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
): Promise<JourneyJob> => {
  const { work, journeyId } = job;
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
          await deps.stats.increment(`journey:${journeyId}`, day(now), 'exited');
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
  for (const job of await deps.jobs.pending()) {
    if (options.outOfTime()) break;
    let after: JourneyJob;
    try {
      after = await runJob(deps, job, options);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) continue;
      throw error;
    }
    progress.push({
      jobId: after.id,
      journeyId: after.journeyId,
      kind: after.work.kind,
      status: after.status,
      counts: after.counts,
    });
  }
  return progress;
};
