import {
  countSegment,
  deleteSegment,
  getSegment,
  latestSegmentCount,
  listSegments,
  type ManageSegmentsDeps,
  putSegment,
  validateSegment,
} from '../../lib/app/manage-segments.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ segments, contacts, journeyJobs, ids, clock }): ManageSegmentsDeps => ({
    segments,
    contacts,
    jobs: journeyJobs,
    ids,
    clock,
  }),
);

const ok = (value: unknown) => jsonResponse(200, value);

const idOf = (request: HttpRequest): string => pathParameter(request, 'id');

export const routes = {
  'GET /admin/segments': async () => ok(await listSegments(deps())),
  'POST /admin/segments/validate': async (request) => ok(validateSegment(request.body)),
  'GET /admin/segments/{id}': async (request) => ok(await getSegment(deps(), idOf(request))),
  'PUT /admin/segments/{id}': async (request) => {
    const result = await putSegment(deps(), idOf(request), request.body);
    return jsonResponse(result.created ? 201 : 200, result);
  },
  'DELETE /admin/segments/{id}': async (request) => ok(await deleteSegment(deps(), idOf(request))),
  'POST /admin/segments/{id}/count': async (request) =>
    jsonResponse(202, await countSegment(deps(), idOf(request))),
  'GET /admin/segments/{id}/count': async (request) => ok(await latestSegmentCount(deps(), idOf(request))),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
