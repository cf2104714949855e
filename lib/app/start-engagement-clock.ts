import { engagementJobSubject, type JourneyJob } from '../domain/journey-job.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

/**
 * Files, once ever, the job that gives every profile without a `lastEngagedAt`
 * the moment engagement started being recorded. Run by the content seed on each
 * deploy: a profile kept from before would otherwise count its sunset from a
 * subscription years old, and a reader who opens every issue would lose the mail
 * on the upgrade. A failed job is not filed again: its error shows in the jobs.
 */
export const startEngagementClock = async (deps: EnqueueJobDeps): Promise<JourneyJob | undefined> => {
  if ((await deps.jobs.listForSubject(engagementJobSubject)).length > 0) return undefined;
  return enqueueJob(deps, engagementJobSubject, {
    kind: 'engagement-start',
    startedAt: deps.clock.now().toISOString(),
  });
};
