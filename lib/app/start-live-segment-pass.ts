import { type JourneyJob, liveSegmentsJobSubject } from '../domain/journey-job.js';
import type { SegmentStore } from '../ports/segment-store.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

export interface StartLiveSegmentPassDeps extends EnqueueJobDeps {
  segments: Pick<SegmentStore, 'live'>;
}

export type LiveSegmentPass =
  | { status: 'filed'; job: JourneyJob }
  | { status: 'skipped'; reason: 'no live segments' | 'the last pass is still running'; jobId?: string };

/**
 * The daily schedule: files a job that re-evaluates every live segment on
 * every contact (journey-jobs walks it a page at a time), for memberships that
 * change with time alone or without an event. One pass at a time: a base too
 * large for a day finishes its pass before the next is filed.
 */
export const startLiveSegmentPass = async (deps: StartLiveSegmentPassDeps): Promise<LiveSegmentPass> => {
  if ((await deps.segments.live()).length === 0) return { status: 'skipped', reason: 'no live segments' };
  const running = (await deps.jobs.listForSubject(liveSegmentsJobSubject)).find(
    (job) => job.status === 'pending',
  );
  if (running !== undefined)
    return { status: 'skipped', reason: 'the last pass is still running', jobId: running.id };
  const job = await enqueueJob(deps, liveSegmentsJobSubject, {
    kind: 'segment-refresh',
    at: deps.clock.now().toISOString(),
  });
  return { status: 'filed', job };
};
