import { confirmationResendAfterMs } from '../../lib/app/confirmation-message.js';
import { signUp } from '../../lib/app/sign-up.js';
import { checkInboxPage } from '../../lib/web/pages.js';
import { clock, contacts, env, ids, suppressions } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { emptyResponse, htmlResponse, jsonResponse, redirectResponse } from './http-response.js';

const deps = {
  contacts,
  phones: contacts,
  suppressions,
  clock,
  ids,
  settings: {
    topics: env.TOPICS.map((topic) => topic.id),
    redirectOrigins: env.ALLOWED_ORIGINS,
    wordingVersion: env.CONSENT_WORDING_VERSION,
    confirmationResendAfterMs,
  },
};

/** The same page for every outcome, rendered once: the response must not tell addresses apart. */
const checkInbox = checkInboxPage();

export const handler = httpHandler(
  async (request) => {
    // Preflights that reach here come from origins CORS did not answer for.
    if (request.method === 'OPTIONS') return emptyResponse(204);
    const { redirect } = await signUp(deps, {
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
  { errors: 'page-for-browsers' },
);
