import { confirmationResendAfterMs } from '../../lib/app/confirmation-message.js';
import {
  type PreferencesOutcome,
  showPreferences,
  updatePreferences,
} from '../../lib/app/manage-preferences.js';
import type { Contact } from '../../lib/domain/contact.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { maskEmail, preferencesPage } from '../../lib/web/pages.js';
import { clock, contacts, env, ids, tokenKeys } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { consentSourceOf } from './consent-source.js';
import { firstValue } from './http-request.js';
import { htmlResponse } from './http-response.js';

const page = (token: string, contact: Contact, outcome: PreferencesOutcome['outcome'] | undefined) =>
  preferencesPage({
    token,
    maskedEmail: maskEmail(contact.email),
    topics: env.TOPICS.map(({ id, label }) => ({ id, label, checked: contact.topics.includes(id) })),
    subscribed: contact.consent.email.status === 'subscribed',
    ...(outcome === undefined || outcome === 'unchanged' ? {} : { status: outcome }),
    baseUrl: env.PUBLIC_BASE_URL,
  });

export const handler = httpHandler(
  async (request) => {
    const token = firstValue(request.query, 'token') ?? firstValue(request.body, 'token');
    if (token === undefined) throw new ValidationError({ token: 'is required' });
    const deps = {
      contacts,
      clock,
      ids,
      topics: env.TOPICS.map((topic) => topic.id),
      tokenKeys: await tokenKeys(),
      confirmationResendAfterMs,
    };
    if (request.method === 'GET')
      return htmlResponse(200, page(token, await showPreferences(deps, token), undefined));
    const { outcome, contact } = await updatePreferences(deps, {
      token,
      form: request.body ?? {},
      source: consentSourceOf(request),
    });
    return htmlResponse(200, page(token, contact, outcome));
  },
  { errors: 'page-for-browsers' },
);
