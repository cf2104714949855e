import { journeyReportOf } from '../../lib/app/journey-report.js';
import {
  changeJourneyStatus,
  getJourney,
  getJourneyVersion,
  journeyJobs as jobsOfJourney,
  journeyStats,
  journeyVersions,
  listJourneys,
  type ManageJourneysDeps,
  migrateJourney,
  publishJourney,
  putJourneyDraft,
  validateJourney,
} from '../../lib/app/manage-journeys.js';
import { type SimulateJourneyDeps, simulateJourney } from '../../lib/simulation/simulate-journey.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteHandler, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ journeys, templates, stats, clock, journeyJobs, ids }): ManageJourneysDeps => ({
    journeys,
    templates,
    stats,
    clock,
    jobs: journeyJobs,
    ids,
  }),
);

const simulation = perEnvironment(
  ({ journeys, templates, clock, deliveryPolicy, env, catalog, coPurchases }): SimulateJourneyDeps => ({
    journeys,
    templates,
    clock,
    policy: deliveryPolicy,
    defaultTimeZone: env.DEFAULT_TIME_ZONE,
    defaultCurrency: env.DEFAULT_CURRENCY,
    catalog,
    coPurchases,
    sender: env.SENDER_EMAIL,
    postalAddress: env.POSTAL_ADDRESS,
    sunsetAfter: env.SUNSET_AFTER,
  }),
);

const currency = perEnvironment(({ env }) => env.DEFAULT_CURRENCY);

const ok = (value: unknown) => jsonResponse(200, value);

const idOf = (request: HttpRequest): string => pathParameter(request, 'id');

const changeStatus =
  (action: 'pause' | 'resume' | 'archive'): RouteHandler =>
  async (request) =>
    ok(await changeJourneyStatus(deps(), idOf(request), action));

export const routes = {
  'GET /admin/journeys': async () => ok(await listJourneys(deps())),
  'GET /admin/journeys/{id}': async (request) => ok(await getJourney(deps(), idOf(request))),
  'PUT /admin/journeys/{id}/draft': async (request) =>
    ok(await putJourneyDraft(deps(), idOf(request), request.body)),
  'POST /admin/journeys/{id}/validate': async (request) =>
    ok(await validateJourney(deps(), idOf(request), request.body)),
  'POST /admin/journeys/{id}/publish': async (request) => ok(await publishJourney(deps(), idOf(request))),
  'POST /admin/journeys/{id}/pause': changeStatus('pause'),
  'POST /admin/journeys/{id}/resume': changeStatus('resume'),
  'POST /admin/journeys/{id}/archive': changeStatus('archive'),
  'POST /admin/journeys/{id}/migrate': async (request) =>
    jsonResponse(202, await migrateJourney(deps(), idOf(request), request.body)),
  'GET /admin/journeys/{id}/jobs': async (request) => ok(await jobsOfJourney(deps(), idOf(request))),
  'GET /admin/journeys/{id}/versions': async (request) => ok(await journeyVersions(deps(), idOf(request))),
  'GET /admin/journeys/{id}/versions/{version}': async (request) =>
    ok(await getJourneyVersion(deps(), idOf(request), pathParameter(request, 'version'))),
  'POST /admin/journeys/{id}/simulate': async (request) =>
    ok(await simulateJourney(simulation(), idOf(request), request.body)),
  'GET /admin/journeys/{id}/report': async (request) =>
    ok(await journeyReportOf(deps(), idOf(request), request.query, currency())),
  'GET /admin/journeys/{id}/stats': async (request) =>
    ok(await journeyStats(deps(), idOf(request), request.query)),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
