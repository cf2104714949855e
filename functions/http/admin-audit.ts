import { listAuditLog } from '../../lib/app/admin-audit.js';
import { AdminCaller } from '../../lib/domain/admin-role.js';
import { UnauthorizedError } from '../../lib/domain/errors.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const deps = perEnvironment(({ audit }) => ({ audit }));

export const routes = {
  'GET /admin/audit': async (request) => jsonResponse(200, await listAuditLog(deps(), request.query)),
  // What the console shows and offers: a viewer is not offered what the API would refuse them.
  'GET /admin/me': async (request) => {
    if (request.caller === undefined) throw new UnauthorizedError('no caller on an admin route');
    return jsonResponse(200, AdminCaller.parse(request.caller));
  },
} satisfies RouteMap;

/** The caller's role is checked by the chain (the topology names the least role each route needs). */
export const handler = httpHandler(routes, { errors: 'json' });
