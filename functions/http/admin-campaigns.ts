import { campaignReportOf } from '../../lib/app/campaign-report.js';
import {
  changeCampaignStatus,
  getCampaign,
  launchCampaign,
  listCampaigns,
  type ManageCampaignsDeps,
  putCampaign,
  validateCampaign,
} from '../../lib/app/manage-campaigns.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteHandler, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ campaigns, segments, templates, journeyJobs, ids, clock }): ManageCampaignsDeps => ({
    campaigns,
    segments,
    templates,
    jobs: journeyJobs,
    ids,
    clock,
  }),
);

/** The report reads counters only; money comes back in the deployment's currency. */
const reportDeps = perEnvironment(({ campaigns, stats, clock, env }) => ({
  campaigns,
  stats,
  clock,
  currency: env.DEFAULT_CURRENCY,
}));

const ok = (value: unknown) => jsonResponse(200, value);

const idOf = (request: HttpRequest): string => pathParameter(request, 'id');

const changeStatus =
  (action: 'pause' | 'resume' | 'cancel'): RouteHandler =>
  async (request) =>
    ok(await changeCampaignStatus(deps(), idOf(request), action, request.body));

export const routes = {
  'GET /admin/campaigns': async () => ok(await listCampaigns(deps())),
  'GET /admin/campaigns/{id}': async (request) => ok(await getCampaign(deps(), idOf(request))),
  'PUT /admin/campaigns/{id}': async (request) => ok(await putCampaign(deps(), idOf(request), request.body)),
  'POST /admin/campaigns/{id}/validate': async (request) =>
    ok(await validateCampaign(deps(), idOf(request), request.body)),
  // Accepted: the audience is frozen and the messages filed by the launch job within a minute.
  'POST /admin/campaigns/{id}/launch': async (request) =>
    jsonResponse(202, await launchCampaign(deps(), idOf(request), request.body)),
  'POST /admin/campaigns/{id}/pause': changeStatus('pause'),
  'POST /admin/campaigns/{id}/resume': changeStatus('resume'),
  'POST /admin/campaigns/{id}/cancel': changeStatus('cancel'),
  'GET /admin/campaigns/{id}/report': async (request) =>
    ok(await campaignReportOf(reportDeps(), idOf(request), reportDeps().currency)),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
