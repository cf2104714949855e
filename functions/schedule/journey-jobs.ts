import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import {
  clock,
  contacts,
  enrollments,
  env,
  journeyJobs,
  journeys,
  stats,
  timers,
} from '../composition-root.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

/** Kept back from the timeout so the page in hand and its progress save finish. */
const reserveMs = 15_000;

const deps = {
  jobs: journeyJobs,
  journeys,
  enrollments,
  contacts,
  timers,
  stats,
  clock,
  settings: { defaultTimeZone: env.DEFAULT_TIME_ZONE },
};

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const progress = await runJourneyJobs(deps, { outOfTime: () => remainingMs() < reserveMs });
  const changed = progress.reduce((sum, job) => sum + job.counts.changed, 0);
  metrics.addMetric('JourneyJobItemsChanged', MetricUnit.Count, changed);
  if (progress.length > 0) logger.info('journey jobs', { progress });
});
