import { signedLink } from '../../lib/app/links.js';
import { contactFromLink } from '../../lib/app/token-links.js';
import { unsubscribe } from '../../lib/app/unsubscribe.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { maskEmail, unsubscribedPage, unsubscribePage } from '../../lib/web/pages.js';
import { dependencies } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import type { HttpRequest } from './http-request.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const tokenOf = (request: HttpRequest): string => {
  const token = firstValue(request.query, 'token') ?? firstValue(request.body, 'token');
  if (token === undefined) throw new ValidationError({ token: 'is required' });
  return token;
};

const linkDeps = async () => {
  const { contacts, clock, ids, env, tokenKeys, outbox, stats } = dependencies();
  return { contacts, clock, ids, env, tokenKeys: await tokenKeys(), messages: outbox, stats };
};

const preferencesUrl = ({ env, tokenKeys, clock }: Awaited<ReturnType<typeof linkDeps>>, contactId: string) =>
  signedLink(
    { publicBaseUrl: env.PUBLIC_BASE_URL, tokenKeys, tokenTtlDays: env.TOKEN_TTL_DAYS },
    'preferences',
    contactId,
    clock.now(),
  );

/**
 * RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the URL in
 * the header, token in the query. The page's button posts the token in the form.
 */
export const routes = {
  'GET /v1/unsubscribe': async (request) => {
    const token = tokenOf(request);
    const deps = await linkDeps();
    const contact = await contactFromLink(deps, token, 'unsubscribe');
    return htmlResponse(
      200,
      unsubscribePage({
        token,
        maskedEmail: maskEmail(contact.email),
        preferencesUrl: preferencesUrl(deps, contact.id),
        baseUrl: deps.env.PUBLIC_BASE_URL,
      }),
    );
  },
  'POST /v1/unsubscribe': async (request) => {
    const token = tokenOf(request);
    const deps = await linkDeps();
    const contact = await unsubscribe(deps, { token, source: consentSourceOf(request) });
    return htmlResponse(
      200,
      unsubscribedPage({
        maskedEmail: maskEmail(contact.email),
        preferencesUrl: preferencesUrl(deps, contact.id),
      }),
    );
  },
} satisfies RouteMap;

export const handler = httpHandler(routes, { errors: 'page-for-browsers', body: 'lenient' });
