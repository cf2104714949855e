import { signUp } from '../../lib/app/sign-up.js';
import { checkInboxPage } from '../../lib/web/pages.js';
import { perEnvironment } from '../dependencies.js';
import { signUpDependencies } from '../handler-dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { emptyResponse, htmlResponse, jsonResponse, redirectResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const deps = perEnvironment(signUpDependencies);

/** The same page for every outcome, rendered once: the response must not tell addresses apart. */
const checkInbox = checkInboxPage();

export const routes = {
  // Preflights that reach here come from origins CORS did not answer for.
  'OPTIONS /v1/signup': async () => emptyResponse(204),
  'POST /v1/signup': async (request) => {
    const { redirect } = await signUp(deps(), {
      body: request.body ?? {},
      source: {
        ...(request.referrer === undefined ? {} : { page: request.referrer, referrer: request.referrer }),
        ...(request.sourceIp === undefined ? {} : { ip: request.sourceIp }),
        ...(request.userAgent === undefined ? {} : { userAgent: request.userAgent }),
      },
    });
    if (request.bodyKind === 'json') return jsonResponse(202, { status: 'pending' });
    return redirect === undefined ? htmlResponse(200, checkInbox) : redirectResponse(redirect);
  },
} satisfies RouteMap;

export const handler = httpHandler(routes, { errors: 'page-for-browsers' });
