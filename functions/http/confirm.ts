import { confirmSubscription } from '../../lib/app/confirm-subscription.js';
import { signedLink } from '../../lib/app/links.js';
import { contactFromLink } from '../../lib/app/token-links.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { alreadyConfirmedPage, confirmedPage, confirmPage } from '../../lib/web/pages.js';
import { dependencies } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import type { HttpRequest } from './http-request.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const tokenOf = (request: HttpRequest): string => {
  const token = firstValue(request.body, 'token') ?? firstValue(request.query, 'token');
  if (token === undefined) throw new ValidationError({ token: 'is required' });
  return token;
};

const linkDeps = async () => {
  const { contacts, clock, ids, env, tokenKeys, stats } = dependencies();
  return { contacts, clock, ids, env, tokenKeys: await tokenKeys(), stats };
};

export const routes = {
  // Link scanners follow every link: a GET only checks the token and shows the button.
  'GET /v1/confirm': async (request) => {
    const token = tokenOf(request);
    const deps = await linkDeps();
    await contactFromLink(deps, token, 'confirm');
    return htmlResponse(200, confirmPage({ token, baseUrl: deps.env.PUBLIC_BASE_URL }));
  },
  'POST /v1/confirm': async (request) => {
    const token = tokenOf(request);
    const deps = await linkDeps();
    const { outcome, contactId } = await confirmSubscription(deps, {
      token,
      source: consentSourceOf(request),
    });
    if (outcome === 'already-confirmed') return htmlResponse(200, alreadyConfirmedPage());
    const preferencesUrl = signedLink(
      {
        publicBaseUrl: deps.env.PUBLIC_BASE_URL,
        tokenKeys: deps.tokenKeys,
        tokenTtlDays: deps.env.TOKEN_TTL_DAYS,
      },
      'preferences',
      contactId,
      deps.clock.now(),
    );
    return htmlResponse(200, confirmedPage({ preferencesUrl }));
  },
} satisfies RouteMap;

export const handler = httpHandler(routes, { errors: 'page-for-browsers' });
