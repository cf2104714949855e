import { journeyReportOf } from '../../lib/app/journey-report.js';
import {
  changeJourneyStatus,
  getJourney,
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
import { recommendationData } from '../../lib/app/recommend-for-contact.js';
import { simulateJourney } from '../../lib/app/simulate-journey.js';
import {
  catalog,
  clock,
  contacts,
  coPurchases,
  deliveryPolicy,
  env,
  ids,
  journeyJobs,
  journeys,
  stats,
  templates,
} from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { type AdminRoute, adminRouter, idOf } from './admin-router.js';
import { jsonResponse } from './http-response.js';

const deps: ManageJourneysDeps = { journeys, templates, stats, clock, jobs: journeyJobs, ids };

const ok = (value: unknown) => jsonResponse(200, value);

const statusRoute = (action: 'pause' | 'resume' | 'archive'): AdminRoute => ({
  method: 'POST',
  path: `/admin/journeys/{id}/${action}`,
  handle: async (_request, parameters) => ok(await changeJourneyStatus(deps, idOf(parameters), action)),
});

export const journeyRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/journeys', handle: async () => ok(await listJourneys(deps)) },
  {
    method: 'GET',
    path: '/admin/journeys/{id}',
    handle: async (_request, parameters) => ok(await getJourney(deps, idOf(parameters))),
  },
  {
    method: 'PUT',
    path: '/admin/journeys/{id}/draft',
    handle: async (request, parameters) => ok(await putJourneyDraft(deps, idOf(parameters), request.body)),
  },
  {
    method: 'POST',
    path: '/admin/journeys/{id}/validate',
    handle: async (request, parameters) => ok(await validateJourney(deps, idOf(parameters), request.body)),
  },
  {
    method: 'POST',
    path: '/admin/journeys/{id}/publish',
    handle: async (_request, parameters) => ok(await publishJourney(deps, idOf(parameters))),
  },
  statusRoute('pause'),
  statusRoute('resume'),
  statusRoute('archive'),
  {
    method: 'POST',
    path: '/admin/journeys/{id}/migrate',
    handle: async (request, parameters) =>
      jsonResponse(202, await migrateJourney(deps, idOf(parameters), request.body)),
  },
  {
    method: 'GET',
    path: '/admin/journeys/{id}/jobs',
    handle: async (_request, parameters) => ok(await jobsOfJourney(deps, idOf(parameters))),
  },
  {
    method: 'GET',
    path: '/admin/journeys/{id}/versions',
    handle: async (_request, parameters) => ok(await journeyVersions(deps, idOf(parameters))),
  },
  {
    method: 'POST',
    path: '/admin/journeys/{id}/simulate',
    handle: async (request, parameters) =>
      ok(
        await simulateJourney(
          {
            journeys,
            clock,
            policy: deliveryPolicy,
            defaultTimeZone: env.DEFAULT_TIME_ZONE,
            recommendations: {
              templates,
              data: (card, window) => recommendationData({ catalog, coPurchases, contacts }, card, window),
            },
          },
          idOf(parameters),
          request.body,
        ),
      ),
  },
  {
    method: 'GET',
    path: '/admin/journeys/{id}/report',
    handle: async (request, parameters) => ok(await journeyReportOf(deps, idOf(parameters), request.query)),
  },
  {
    method: 'GET',
    path: '/admin/journeys/{id}/stats',
    handle: async (request, parameters) => ok(await journeyStats(deps, idOf(parameters), request.query)),
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(journeyRoutes), { errors: 'json' });
