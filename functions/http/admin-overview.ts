import { type OverviewDeps, overviewReport } from '../../lib/app/overview-report.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ journeys, campaigns, stats, sendingState, clock, env }): OverviewDeps => ({
    journeys,
    campaigns,
    stats,
    sending: sendingState,
    clock,
    currency: env.DEFAULT_CURRENCY,
  }),
);

export const routes = {
  'GET /admin/overview': async (request) => jsonResponse(200, await overviewReport(deps(), request.query)),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
