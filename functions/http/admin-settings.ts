import { listTopics } from '../../lib/app/list-topics.js';
import {
  getDeliveryPolicy,
  type ManageDeliveryPolicyDeps,
  putDeliveryPolicy,
  validateDeliveryPolicy,
} from '../../lib/app/manage-delivery-policy.js';
import { pauseMarketingEmailByAdmin, resumeMarketingEmail } from '../../lib/app/marketing-email-pause.js';
import { reputationThresholdsOf } from '../../lib/config/runtime-env.js';
import { timing } from '../../lib/config/timing.js';
import { UnauthorizedError } from '../../lib/domain/errors.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
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
const sending = perEnvironment(({ sendingState, stats, ids, clock, env }) => ({
  sending: sendingState,
  stats,
  ids,
  clock,
  thresholds: reputationThresholdsOf(env),
}));

/** Who asked: the chain has checked the caller's role before a route runs. */
const callerOf = (request: HttpRequest): string => {
  if (request.caller === undefined) throw new UnauthorizedError('no caller on an admin route');
  return request.caller.id;
};

export const routes = {
  'GET /admin/delivery-policy': async () => jsonResponse(200, await getDeliveryPolicy(deps())),
  'PUT /admin/delivery-policy': async (request) =>
    jsonResponse(200, await putDeliveryPolicy(deps(), request.body)),
  'POST /admin/delivery-policy/validate': async (request) =>
    jsonResponse(200, validateDeliveryPolicy(request.body)),
  'GET /admin/topics': async () => jsonResponse(200, listTopics(topics())),
  'GET /admin/sending': async () => jsonResponse(200, await sending().sending.get()),
  'POST /admin/sending/pause': async (request) =>
    jsonResponse(200, await pauseMarketingEmailByAdmin(sending(), request.body, callerOf(request))),
  'POST /admin/sending/resume': async (request) =>
    jsonResponse(
      200,
      await resumeMarketingEmail(sending(), { by: callerOf(request), at: sending().clock.now() }),
    ),
} satisfies RouteMap;

/** The caller's role is checked by the chain (the topology names the least role each route needs). */
export const handler = httpHandler(routes, { errors: 'json' });
