import { confirmSubscription } from '../../lib/app/confirm-subscription.js';
import { signedLink } from '../../lib/app/links.js';
import { contactFromLink } from '../../lib/app/token-links.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { alreadyConfirmedPage, confirmedPage, confirmPage } from '../../lib/web/pages.js';
import { clock, contacts, env, ids, tokenKeys } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';

export const handler = httpHandler(
  async (request) => {
    const token = firstValue(request.body, 'token') ?? firstValue(request.query, 'token');
    if (token === undefined) throw new ValidationError({ token: 'is required' });
    const deps = { contacts, clock, ids, tokenKeys: await tokenKeys() };
    if (request.method === 'GET') {
      // Link scanners follow every link: a GET only checks the token and shows the button.
      await contactFromLink(deps, token, 'confirm');
      return htmlResponse(200, confirmPage({ token, baseUrl: env.PUBLIC_BASE_URL }));
    }
    const { outcome, contactId } = await confirmSubscription(deps, {
      token,
      source: consentSourceOf(request),
    });
    if (outcome === 'already-confirmed') return htmlResponse(200, alreadyConfirmedPage());
    const preferencesUrl = signedLink(
      { publicBaseUrl: env.PUBLIC_BASE_URL, tokenKeys: deps.tokenKeys, tokenTtlDays: env.TOKEN_TTL_DAYS },
      'preferences',
      contactId,
      clock.now(),
    );
    return htmlResponse(200, confirmedPage({ preferencesUrl }));
  },
  { errors: 'page-for-browsers' },
);
