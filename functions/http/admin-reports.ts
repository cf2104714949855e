import { type OrdersBySourceDeps, ordersBySourceReport } from '../../lib/app/orders-by-source-report.js';
import { clock, orderLog } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { type AdminRoute, adminRouter } from './admin-router.js';
import { jsonResponse } from './http-response.js';

const deps: OrdersBySourceDeps = { orders: orderLog, clock };

export const reportRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/reports/orders-by-source',
    handle: async (request) => jsonResponse(200, await ordersBySourceReport(deps, request.query)),
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(reportRoutes), { errors: 'json' });
