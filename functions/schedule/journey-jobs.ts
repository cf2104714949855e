import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runJourneyJobs } from '../../lib/app/run-journey-jobs.js';
import { timing } from '../../lib/config/timing.js';
import { perEnvironment } from '../dependencies.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

const deps = perEnvironment((d) => ({
  customerValue: d.customerValue,
  jobs: d.journeyJobs,
  journeys: d.journeys,
  enrollments: d.enrollments,
  contacts: d.contacts,
  timers: d.timers,
  stats: d.stats,
  catalog: d.catalog,
  segments: d.segments,
  segmentMembership: {
    liveSegments: d.liveSegments,
    memberships: d.segmentMemberships,
    clock: d.clock,
    ids: d.ids,
  },
  campaigns: d.campaigns,
  campaignAudience: d.campaignAudience,
  outbox: d.outbox,
  events: d.contactEvents,
  clock: d.clock,
  // The schedule runs once a minute in the cloud, so a cap per run is a cap per minute.
  settings: {
    defaultTimeZone: d.env.DEFAULT_TIME_ZONE,
    fanOutEventsPerRun: d.env.FANOUT_EVENTS_PER_MINUTE,
    campaignSendRate: d.env.CAMPAIGN_SEND_RATE,
  },
}));

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
