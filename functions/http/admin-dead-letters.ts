import {
  listDeadLetters,
  type RedriveDeps,
  redriveDeadLetters,
  showDeadLetter,
} from '../../lib/app/dead-letters.js';
import { timing } from '../../lib/config/timing.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ deadLetters, functions, clock, ids }): RedriveDeps => ({
    deadLetters,
    functions: functions(),
    clock,
    ids,
    settings: { redriveBudgetMs: timing.deadLetters.redriveBudgetMs },
  }),
);

export const routes = {
  'GET /admin/dead-letters': async (request) =>
    jsonResponse(200, await listDeadLetters(deps(), request.query)),
  'GET /admin/dead-letters/{id}': async (request) =>
    jsonResponse(200, await showDeadLetter(deps(), pathParameter(request, 'id'))),
  'POST /admin/dead-letters/redrive': async (request) =>
    jsonResponse(200, await redriveDeadLetters(deps(), request.body)),
} satisfies RouteMap;

/** Operators read what failed for good and hand it back once its cause is fixed; the chain audits each redrive. */
export const handler = httpHandler(routes, { errors: 'json' });
