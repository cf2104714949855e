import { signedLink } from '../../lib/app/links.js';
import { contactFromLink } from '../../lib/app/token-links.js';
import { unsubscribe } from '../../lib/app/unsubscribe.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { maskEmail, unsubscribedPage, unsubscribePage } from '../../lib/web/pages.js';
import { clock, contacts, env, ids, tokenKeys } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';

/**
 * RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the URL in
 * the header, token in the query. The page's button posts the token in the form.
 */
export const handler = httpHandler(
  async (request) => {
    const token = firstValue(request.query, 'token') ?? firstValue(request.body, 'token');
    if (token === undefined) throw new ValidationError({ token: 'is required' });
    const deps = { contacts, clock, ids, tokenKeys: await tokenKeys() };
    const preferencesUrl = (contactId: string) =>
      signedLink(
        { publicBaseUrl: env.PUBLIC_BASE_URL, tokenKeys: deps.tokenKeys, tokenTtlDays: env.TOKEN_TTL_DAYS },
        'preferences',
        contactId,
        clock.now(),
      );
    if (request.method === 'GET') {
      const contact = await contactFromLink(deps, token, 'unsubscribe');
      return htmlResponse(
        200,
        unsubscribePage({
          token,
          maskedEmail: maskEmail(contact.email),
          preferencesUrl: preferencesUrl(contact.id),
          baseUrl: env.PUBLIC_BASE_URL,
        }),
      );
    }
    const contact = await unsubscribe(deps, { token, source: consentSourceOf(request) });
    return htmlResponse(
      200,
      unsubscribedPage({ maskedEmail: maskEmail(contact.email), preferencesUrl: preferencesUrl(contact.id) }),
    );
  },
  { errors: 'page-for-browsers', body: 'lenient' },
);
