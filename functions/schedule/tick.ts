import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { fireDueTimers } from '../../lib/app/fire-due-timers.js';
import { timing } from '../../lib/config/timing.js';
import { dependencies } from '../dependencies.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const { timers, clock, env } = dependencies();
  const result = await fireDueTimers({ timers }, clock.now(), {
    shards: env.TIMER_SHARDS,
    settleSeconds: timing.tick.settleSeconds,
    // Stops reading new timers while the reserve is left, so the page being fired and the cursor write finish.
    outOfTime: () => remainingMs() < timing.tick.reserveMs,
  });
  metrics.addMetric('TimersFired', MetricUnit.Count, result.fired);
  metrics.addMetric('TimersAlreadyFired', MetricUnit.Count, result.alreadyFired);
  metrics.addMetric('TimerBucketsVisited', MetricUnit.Count, result.bucketsVisited);
  // Incomplete runs in a row mean the wheel is behind (an outage being caught up, or too few shards).
  metrics.addMetric('TimerTickIncomplete', MetricUnit.Count, result.complete ? 0 : 1);
  if (result.fired > 0 || !result.complete) logger.info('tick', { ...result });
});
