import type { APIGatewayProxyResult } from 'aws-lambda';
import { NotFoundError, ValidationError } from '../../lib/domain/errors.js';
import type { HttpRequest } from './http-request.js';

/** The methods a topology route may have; HEAD is served through GET (see `decodeHttpRequest`). */
type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

/**
 * A route as API Gateway names it to the function, `<method> <resource template>`:
 * `POST /admin/journeys/{id}/publish`. The topology's routes read the same way.
 */
export type RouteKey = `${RouteMethod} /${string}`;

export type RouteHandler = (request: HttpRequest) => Promise<APIGatewayProxyResult>;

/**
 * What an HTTP function serves: one entry per route the topology gives it, no more
 * and no fewer (test/unit/functions/route-maps.test.ts holds every function to that).
 */
export type RouteMap = Readonly<Record<RouteKey, RouteHandler>>;

/**
 * Dispatches on the route key the gateway already resolved (the event's `resource`
 * and method), so the function never matches the path again: a base path in front
 * (a custom domain's mapping) or a path that merely ends like a route cannot pick
 * another route.
 */
export const dispatchTo = (routes: RouteMap): RouteHandler => {
  const byKey = new Map<string, RouteHandler>(Object.entries(routes));
  return async (request) => {
    const handle = byKey.get(`${request.method} ${request.resource}`);
    if (handle === undefined) throw new NotFoundError(`no route for ${request.method} ${request.resource}`);
    return handle(request);
  };
};

/**
 * Every id a path names is short (64 characters at most, a ULID, a version number); a
 * longer one names nothing, and would not fit in a table key (DynamoDB refuses a sort key
 * over 1,024 bytes), so it is refused before anything is read.
 */
export const maxPathParameterBytes = 256;

/** A `{name}` of the route's resource, as the gateway decoded it. */
export const pathParameter = (request: HttpRequest, name: string): string => {
  const value = Object.hasOwn(request.pathParameters, name) ? request.pathParameters[name] : undefined;
  if (value === undefined || value === '') throw new ValidationError({ [name]: 'is required in the path' });
  if (Buffer.byteLength(value) > maxPathParameterBytes)
    throw new ValidationError({
      [name]: `is longer than ${maxPathParameterBytes} bytes, so it names nothing`,
    });
  return value;
};
