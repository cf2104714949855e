import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { fireDueTimers } from '../../lib/app/fire-due-timers.js';
import { clock, env, timers } from '../composition-root.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

/**
 * Time kept back from the function's timeout: the run stops reading new timers
 * once less than this is left, so the page being fired and the cursor write finish.
 */
const reserveMs = 15_000;

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const result = await fireDueTimers({ timers }, clock.now(), {
    shards: env.TIMER_SHARDS,
    outOfTime: () => remainingMs() < reserveMs,
  });
  metrics.addMetric('TimersFired', MetricUnit.Count, result.fired);
  metrics.addMetric('TimersAlreadyFired', MetricUnit.Count, result.alreadyFired);
  metrics.addMetric('TimerBucketsVisited', MetricUnit.Count, result.bucketsVisited);
  // Incomplete runs in a row mean the wheel is behind (an outage being caught up, or too few shards).
  metrics.addMetric('TimerTickIncomplete', MetricUnit.Count, result.complete ? 0 : 1);
  if (result.fired > 0 || !result.complete) logger.info('tick', { ...result });
});
