import { type CustomerValueStatusDeps, customerValueStatus } from '../../lib/app/customer-value-status.js';
import { type DeliverabilityReportDeps, deliverabilityReport } from '../../lib/app/deliverability-report.js';
import { type OrdersBySourceDeps, ordersBySourceReport } from '../../lib/app/orders-by-source-report.js';
import { reputationThresholdsOf } from '../../lib/config/runtime-env.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ orderLog, clock, env }): OrdersBySourceDeps => ({
    orders: orderLog,
    clock,
    currency: env.DEFAULT_CURRENCY,
  }),
);

const deliverabilityDeps = perEnvironment(
  ({ journeys, campaigns, stats, sendingState, clock, env }): DeliverabilityReportDeps => ({
    journeys,
    campaigns,
    stats,
    // Read fresh, not through the send path's cache: a resume shows at once.
    sending: sendingState,
    clock,
    // The ones the SES feedback function pauses by.
    thresholds: reputationThresholdsOf(env),
  }),
);

const valueDeps = perEnvironment(({ customerValue }): CustomerValueStatusDeps => ({ customerValue }));

export const routes = {
  'GET /admin/reports/orders-by-source': async (request) =>
    jsonResponse(200, await ordersBySourceReport(deps(), request.query)),
  'GET /admin/customer-value': async () => jsonResponse(200, await customerValueStatus(valueDeps())),
  'GET /admin/deliverability': async (request) =>
    jsonResponse(200, await deliverabilityReport(deliverabilityDeps(), request.query)),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
