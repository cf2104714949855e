import { authenticate, ingestBatch, ingestCall, maxBatchBytes } from '../../lib/app/ingest-events.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { dependencies } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import type { RouteMap } from './route-map.js';

/** Both routes take an API key and JSON; what they answer is theirs. */
const authenticatedJson = async (request: HttpRequest): Promise<unknown> => {
  const { apiKeys, rateLimiter, clock } = dependencies();
  await authenticate({ apiKeys, rateLimiter, clock }, request.headers.authorization, request.sourceIp);
  if (request.bodyKind !== 'json') throw new ValidationError({ body: 'send the call as JSON' });
  return request.body;
};

/**
 * Server-to-server ingestion (Segment's identify and track). A single call is
 * 202 when stored, 200 when it was a duplicate, 400 naming each bad field; a
 * batch is 200 with an answer per call.
 */
export const routes = {
  'POST /v1/events': async (request) => {
    const call = await authenticatedJson(request);
    const outcome = await ingestCall(dependencies().ingestDeps, call, 'api');
    if (outcome.status === 'rejected') throw new ValidationError(outcome.errors, 'the call was not stored');
    return jsonResponse(outcome.status === 'accepted' ? 202 : 200, outcome);
  },
  'POST /v1/batch': async (request) => {
    const batch = await authenticatedJson(request);
    return jsonResponse(200, await ingestBatch(dependencies().ingestDeps, batch, request.bodyBytes, 'api'));
  },
} satisfies RouteMap;

// The largest a batch may be, refused before it is parsed; one call is far smaller (32 KB).
export const handler = httpHandler(routes, { errors: 'json', maxBodyBytes: maxBatchBytes });
