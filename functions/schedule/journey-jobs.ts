import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import {
  catalog,
  clock,
  contactEvents,
  contacts,
  customerValue,
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
  customerValue,
  jobs: journeyJobs,
  journeys,
  enrollments,
  contacts,
  timers,
  stats,
  catalog,
  events: contactEvents,
  clock,
  // The schedule runs once a minute in the cloud, so a cap per run is a cap per minute.
  settings: { defaultTimeZone: env.DEFAULT_TIME_ZONE, fanOutEventsPerRun: env.FANOUT_EVENTS_PER_MINUTE },
};

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const progress = await runJourneyJobs(deps, { outOfTime: () => remainingMs() < reserveMs });
  const changed = progress.reduce((sum, job) => sum + job.counts.changed, 0);
  metrics.addMetric('JourneyJobItemsChanged', MetricUnit.Count, changed);
  if (progress.length > 0) logger.info('journey jobs', { progress });
});
