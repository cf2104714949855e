import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { refreshCustomerValue } from '../../lib/app/refresh-customer-value.js';
import { timing } from '../../lib/config/timing.js';
import { defaultClvModel } from '../../lib/domain/customer-value.js';
import { perEnvironment } from '../dependencies.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

const deps = perEnvironment((d) => ({
  contacts: d.contacts,
  customerValue: d.customerValue,
  jobs: d.journeyJobs,
  ids: d.ids,
  clock: d.clock,
  settings: {
    clv: {
      horizonYears: d.env.CLV_HORIZON_YEARS,
      annualDiscountRate: d.env.CLV_ANNUAL_DISCOUNT_RATE,
      annualRetention: defaultClvModel.annualRetention,
    },
    minRepeatCustomers: d.env.VALUE_MODEL_MIN_REPEAT_CUSTOMERS,
  },
}));

export const handler = scheduleHandler(async ({ remainingMs }) => {
  // The reserve lets the thresholds and the rescoring job be written.
  const outcome = await refreshCustomerValue(deps(), () => remainingMs() < timing.customerValue.reserveMs);
  if (outcome.status === 'refreshed')
    metrics.addMetric('CustomersScored', MetricUnit.Count, outcome.customers);
  logger.info('customer value refresh', { ...outcome });
  // Reading the base did not finish: the alarm on errors should say so, and the next run starts over.
  if (outcome.status === 'incomplete')
    throw new Error(`read ${outcome.read} contacts before the time ran out`);
});
