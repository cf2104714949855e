import { consentWording } from '../../lib/web/consent-wording.js';
import { exampleSignupPage, exampleSignupPageScripts } from '../../lib/web/pages.js';
import { env } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { htmlResponse, jsonResponse } from './http-response.js';

const signupPage = exampleSignupPage({
  topics: env.TOPICS,
  wordingVersion: env.CONSENT_WORDING_VERSION,
  consentWording: consentWording.text,
  baseUrl: env.PUBLIC_BASE_URL,
});

export const handler = httpHandler(
  async (request) =>
    request.path === '/health'
      ? jsonResponse(200, { status: 'ok' })
      : htmlResponse(200, signupPage, { scripts: exampleSignupPageScripts }),
  { errors: 'json' },
);
