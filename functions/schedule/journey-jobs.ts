import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import { timing } from '../../lib/config/timing.js';
import { perEnvironment } from '../dependencies.js';
import { journeyJobsDependencies } from '../handler-dependencies.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

const deps = perEnvironment(journeyJobsDependencies);

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const d = deps();
  // The reserve lets the page in hand and its progress save finish.
  const progress = await runJourneyJobs(d, {
    outOfTime: () => remainingMs() < timing.journeyJobs.reserveMs,
    // A campaign's sends are paced a second at a time until just before the next run takes over.
    paceUntil: new Date(d.clock.now().getTime() + timing.journeyJobs.paceWindowMs),
  });
  const changed = progress.reduce((sum, job) => sum + job.counts.changed, 0);
  metrics.addMetric('JourneyJobItemsChanged', MetricUnit.Count, changed);
  if (progress.length > 0) logger.info('journey jobs', { progress });
});
