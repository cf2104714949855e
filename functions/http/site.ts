import { consentWording } from '../../lib/web/consent-wording.js';
import { exampleSignupPage, exampleSignupPageScripts } from '../../lib/web/pages.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { htmlResponse, jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const signupPage = perEnvironment(({ env }) =>
  exampleSignupPage({
    topics: env.TOPICS,
    wordingVersion: env.CONSENT_WORDING_VERSION,
    consentWording: consentWording.text,
    baseUrl: env.PUBLIC_BASE_URL,
  }),
);

export const routes = {
  'GET /': async () => htmlResponse(200, signupPage(), { scripts: exampleSignupPageScripts }),
  'GET /health': async () => jsonResponse(200, { status: 'ok' }),
} satisfies RouteMap;

export const handler = httpHandler(routes, { errors: 'json' });
