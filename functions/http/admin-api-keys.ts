import {
  createApiKey,
  listApiKeys,
  type ManageApiKeysDeps,
  revokeApiKey,
} from '../../lib/app/manage-api-keys.js';
import { apiKeys, clock, ids, secrets } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { type AdminRoute, adminRouter, idOf } from './admin-router.js';
import { jsonResponse } from './http-response.js';

const deps: ManageApiKeysDeps = { apiKeys, secrets, ids, clock };

export const apiKeyRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/api-keys', handle: async () => jsonResponse(200, await listApiKeys(deps)) },
  {
    method: 'POST',
    path: '/admin/api-keys',
    handle: async (request) => jsonResponse(201, await createApiKey(deps, request.body)),
  },
  {
    method: 'POST',
    path: '/admin/api-keys/{id}/revoke',
    handle: async (_request, parameters) => jsonResponse(200, await revokeApiKey(deps, idOf(parameters))),
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(apiKeyRoutes), { errors: 'json' });
