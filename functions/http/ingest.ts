import { authenticate, ingestBatch, ingestCall } from '../../lib/app/ingest-events.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { apiKeys, ingestDeps } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { jsonResponse } from './http-response.js';

/**
 * Server-to-server ingestion (Segment's identify and track). A single call is
 * 202 when stored, 200 when it was a duplicate, 400 naming each bad field; a
 * batch is 200 with an answer per call.
 */
export const handler = httpHandler(
  async (request) => {
    await authenticate(apiKeys, request.headers.authorization);
    if (request.bodyKind !== 'json') throw new ValidationError({ body: 'send the call as JSON' });
    if (request.path.endsWith('/batch')) {
      return jsonResponse(200, await ingestBatch(ingestDeps(), request.body, request.bodyBytes, 'api'));
    }
    const outcome = await ingestCall(ingestDeps(), request.body, 'api');
    if (outcome.status === 'rejected') throw new ValidationError(outcome.errors, 'the call was not stored');
    return jsonResponse(outcome.status === 'accepted' ? 202 : 200, outcome);
  },
  { errors: 'json' },
);
