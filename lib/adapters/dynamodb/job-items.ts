import { JourneyJob } from '../../domain/journey-job.js';
import type { ItemType } from './items.js';
import { jobKeys, ttlAttribute } from './keys.js';

/** A finished job is kept this long for people to look at, then TTL removes it: the schedule reads every job left. */
const finishedJobRetentionDays = 30;

export const jobItem = (job: JourneyJob) => ({
  ...jobKeys.job(job.subject, job.id),
  type: 'journey-job' satisfies ItemType,
  ...job,
  ...(job.finishedAt === undefined
    ? {}
    : { [ttlAttribute]: Math.ceil(Date.parse(job.finishedAt) / 1000) + finishedJobRetentionDays * 86_400 }),
});

/** Jobs stored before products had jobs name their journey as `journeyId`; it is their subject. */
export const jobFromItem = (item: Record<string, unknown>): JourneyJob => {
  const { journeyId, ...rest } = item;
  return JourneyJob.parse(rest.subject === undefined ? { ...rest, subject: journeyId } : rest);
};
