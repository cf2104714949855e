import { listTopics } from '../../lib/app/list-topics.js';
import {
  getDeliveryPolicy,
  type ManageDeliveryPolicyDeps,
  putDeliveryPolicy,
  validateDeliveryPolicy,
} from '../../lib/app/manage-delivery-policy.js';
import { timing } from '../../lib/config/timing.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ deliveryPolicies, clock }): ManageDeliveryPolicyDeps => ({
    policies: deliveryPolicies,
    clock,
    policyMaxAgeMs: timing.settings.deliveryPolicyMaxAgeMs,
  }),
);
const topics = perEnvironment(({ env }) => ({ topics: env.TOPICS }));

export const routes = {
  'GET /admin/delivery-policy': async () => jsonResponse(200, await getDeliveryPolicy(deps())),
  'PUT /admin/delivery-policy': async (request) =>
    jsonResponse(200, await putDeliveryPolicy(deps(), request.body)),
  'POST /admin/delivery-policy/validate': async (request) =>
    jsonResponse(200, validateDeliveryPolicy(request.body)),
  'GET /admin/topics': async () => jsonResponse(200, listTopics(topics())),
} satisfies RouteMap;

/** The caller's role is checked by the chain (the topology names the least role each route needs). */
export const handler = httpHandler(routes, { errors: 'json' });
