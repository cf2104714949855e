import type { JourneyJob } from '../../lib/domain/journey-job.js';
import type { JourneyJobStore } from '../../lib/ports/journey-job-store.js';

/**
 * A journey-jobs run's time budget measured in pages instead of seconds: the
 * store records every progress save, and `outOfTime` turns true once `pages` of
 * them (of the jobs `counted` picks) are made, as a run whose time ran out after
 * them would stop. `saved` lists the saves in order, to see whose turn it was.
 */
export const pageBudget = (
  jobs: JourneyJobStore,
  pages: number,
  counted: (job: JourneyJob) => boolean = () => true,
) => {
  const saved: JourneyJob[] = [];
  const store: JourneyJobStore = {
    create: (job) => jobs.create(job),
    listForSubject: (subject) => jobs.listForSubject(subject),
    pending: () => jobs.pending(),
    save: async (job, expectedRevision) => {
      await jobs.save(job, expectedRevision);
      if (counted(job)) saved.push(job);
    },
  };
  return { jobs: store, saved, outOfTime: () => saved.length >= pages };
};
