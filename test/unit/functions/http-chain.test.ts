import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpRequest } from '../../../functions/http/http-request.js';
import type { RouteMap } from '../../../functions/http/route-map.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { aRequestContext } from '../../support/proxy-request-context.js';
import { stubHandlerEnv } from './support/handler-env.js';

const context = lambdaContext(
  { functionName: 'http-chain-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

const event = (overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent => ({
  resource: '/',
  path: '/',
  httpMethod: 'GET',
  headers: {},
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  body: null,
  isBase64Encoded: false,
  // The chain reads nothing of the request context but the source IP, which may be absent.
  requestContext: aRequestContext({ method: overrides.httpMethod ?? 'GET', path: overrides.resource ?? '/' }),
  ...overrides,
});

const seen: Array<{ route: string; request: HttpRequest }> = [];
const answer =
  (route: string) =>
  async (request: HttpRequest): Promise<APIGatewayProxyResult> => {
    seen.push({ route, request });
    return { statusCode: 200, body: route };
  };

let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  stubHandlerEnv();
  const { httpHandler } = await import('../../../functions/middleware/http-chain.js');
  const { pathParameter } = await import('../../../functions/http/route-map.js');
  const routes = {
    'GET /things/{id}': answer('GET /things/{id}'),
    'POST /things/{id}': answer('POST /things/{id}'),
    'GET /things/{id}/parts': async (request) => ({ statusCode: 200, body: pathParameter(request, 'id') }),
  } satisfies RouteMap;
  const chain = httpHandler(routes, { errors: 'json' });
  handler = (proxyEvent) => chain(proxyEvent, context);
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('when an event names a route the function serves', () => {
  it('goes to that route, by resource and method, with the gateway’s path parameters', async () => {
    const response = await handler(
      event({
        httpMethod: 'POST',
        resource: '/things/{id}',
        path: '/things/a%20b',
        pathParameters: { id: 'a b' },
      }),
    );

    expect(response).toMatchObject({ statusCode: 200, body: 'POST /things/{id}' });
    expect(seen.at(-1)?.request).toMatchObject({
      method: 'POST',
      resource: '/things/{id}',
      pathParameters: { id: 'a b' },
    });
  });

  it('does not look at the path, so a base path in front changes nothing', async () => {
    const response = await handler(
      event({ resource: '/things/{id}', path: '/v2/api/things/t-1', pathParameters: { id: 't-1' } }),
    );

    expect(response).toMatchObject({ statusCode: 200, body: 'GET /things/{id}' });
  });

  it('answers HEAD through the GET route', async () => {
    const response = await handler(
      event({
        httpMethod: 'HEAD',
        resource: '/things/{id}',
        path: '/things/t-1',
        pathParameters: { id: 't-1' },
      }),
    );

    expect(response).toMatchObject({ statusCode: 200, body: 'GET /things/{id}' });
    expect(seen.at(-1)?.request.method).toBe('GET');
  });
});

describe('when an event names a route the function does not serve', () => {
  it('is a 404, even when its path ends like one the function serves', async () => {
    const response = await handler(
      event({ resource: '/other/{rest}', path: '/other/things/t-1', pathParameters: { rest: 'things' } }),
    );

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('is a 404 for a method the resource is not served with', async () => {
    const response = await handler(
      event({
        httpMethod: 'DELETE',
        resource: '/things/{id}',
        path: '/things/t-1',
        pathParameters: { id: 't-1' },
      }),
    );

    expect(response.statusCode).toBe(404);
  });
});

describe('when a route’s path parameter is missing from the event', () => {
  it('is a 400 naming the parameter', async () => {
    const response = await handler(event({ resource: '/things/{id}/parts', path: '/things//parts' }));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: { code: 'invalid_request', fields: { id: 'is required in the path' } },
    });
  });
});
