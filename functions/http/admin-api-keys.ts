import {
  createApiKey,
  listApiKeys,
  type ManageApiKeysDeps,
  revokeApiKey,
} from '../../lib/app/manage-api-keys.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ apiKeys, secrets, ids, clock }): ManageApiKeysDeps => ({ apiKeys, secrets, ids, clock }),
);

export const routes = {
  'GET /admin/api-keys': async () => jsonResponse(200, await listApiKeys(deps())),
  'POST /admin/api-keys': async (request) => jsonResponse(201, await createApiKey(deps(), request.body)),
  'POST /admin/api-keys/{id}/revoke': async (request) =>
    jsonResponse(200, await revokeApiKey(deps(), pathParameter(request, 'id'))),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
