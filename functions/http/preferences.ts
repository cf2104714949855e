import { confirmationResendAfterMs } from '../../lib/app/confirmation-message.js';
import {
  type PreferencesOutcome,
  showPreferences,
  updatePreferences,
} from '../../lib/app/manage-preferences.js';
import type { Contact } from '../../lib/domain/contact.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { maskEmail, preferencesPage } from '../../lib/web/pages.js';
import { dependencies } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import type { HttpRequest } from './http-request.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

const page = (token: string, contact: Contact, outcome: PreferencesOutcome['outcome'] | undefined) => {
  const { env } = dependencies();
  return preferencesPage({
    token,
    maskedEmail: maskEmail(contact.email),
    topics: env.TOPICS.map(({ id, label }) => ({ id, label, checked: contact.topics.includes(id) })),
    subscribed: contact.consent.email.status === 'subscribed',
    ...(outcome === undefined || outcome === 'unchanged' ? {} : { status: outcome }),
    baseUrl: env.PUBLIC_BASE_URL,
  });
};

const tokenOf = (request: HttpRequest): string => {
  const token = firstValue(request.query, 'token') ?? firstValue(request.body, 'token');
  if (token === undefined) throw new ValidationError({ token: 'is required' });
  return token;
};

const preferencesDeps = async () => {
  const { contacts, clock, ids, env, tokenKeys, stats } = dependencies();
  return {
    contacts,
    stats,
    clock,
    ids,
    topics: env.TOPICS.map((topic) => topic.id),
    tokenKeys: await tokenKeys(),
    confirmationResendAfterMs,
  };
};

export const routes = {
  'GET /v1/preferences': async (request) => {
    const token = tokenOf(request);
    return htmlResponse(200, page(token, await showPreferences(await preferencesDeps(), token), undefined));
  },
  'POST /v1/preferences': async (request) => {
    const token = tokenOf(request);
    const { outcome, contact } = await updatePreferences(await preferencesDeps(), {
      token,
      form: request.body ?? {},
      source: consentSourceOf(request),
    });
    return htmlResponse(200, page(token, contact, outcome));
  },
} satisfies RouteMap;

export const handler = httpHandler(routes, { errors: 'page-for-browsers' });
