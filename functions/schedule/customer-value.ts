import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { refreshCustomerValue } from '../../lib/app/refresh-customer-value.js';
import { clock, contacts, customerValue, ids, journeyJobs } from '../composition-root.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

/** Kept back from the timeout so the thresholds and the job are written. */
const reserveMs = 20_000;

export const handler = scheduleHandler(async ({ remainingMs }) => {
  const outcome = await refreshCustomerValue(
    { contacts, customerValue, jobs: journeyJobs, ids, clock },
    () => remainingMs() < reserveMs,
  );
  if (outcome.status === 'refreshed')
    metrics.addMetric('CustomersScored', MetricUnit.Count, outcome.customers);
  logger.info('customer value refresh', { ...outcome });
  // Reading the base did not finish: the alarm on errors should say so, and the next run starts over.
  if (outcome.status === 'incomplete')
    throw new Error(`read ${outcome.read} contacts before the time ran out`);
});
