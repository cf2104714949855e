import { lookUpContactByEmail } from '../../lib/app/look-up-contact.js';
import { contacts, enrollments, suppressions } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { firstValue } from './http-request.js';
import { jsonResponse } from './http-response.js';

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(
  async (request) =>
    jsonResponse(
      200,
      await lookUpContactByEmail({ contacts, enrollments, suppressions }, firstValue(request.query, 'email')),
    ),
  { errors: 'json' },
);
