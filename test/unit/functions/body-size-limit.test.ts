import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteMap } from '../../../functions/http/route-map.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { maxRequestBodyBytes } from '../../../lib/domain/request-limits.js';
import { aRequestContext } from '../../support/proxy-request-context.js';
import { stubHandlerEnv } from './support/handler-env.js';

const context = lambdaContext(
  { functionName: 'body-size-limit-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

const post = (body: string, isBase64Encoded = false): APIGatewayProxyEvent => ({
  resource: '/things',
  path: '/things',
  httpMethod: 'POST',
  headers: { 'content-type': 'application/json' },
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  body,
  isBase64Encoded,
  requestContext: aRequestContext({ method: 'POST', path: '/things' }),
});

let reached = 0;
let handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let smallHandler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  stubHandlerEnv();
  const { httpHandler } = await import('../../../functions/middleware/http-chain.js');
  const routes = {
    'POST /things': async () => {
      reached += 1;
      return { statusCode: 200, body: '{}' };
    },
  } satisfies RouteMap;
  const chain = httpHandler(routes, { errors: 'json' });
  const small = httpHandler(routes, { errors: 'json', maxBodyBytes: 10 });
  handler = (event) => chain(event, context);
  smallHandler = (event) => small(event, context);
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const errorOf = (response: APIGatewayProxyResult) => JSON.parse(response.body).error;

describe('when a body is larger than a route takes', () => {
  it('is refused with 413 from its length, before it is parsed, and the route never runs', async () => {
    // Not JSON at all: a 400 "is not valid JSON" would mean it was parsed first.
    const response = await handler(post('x'.repeat(maxRequestBodyBytes + 1)));

    expect(response.statusCode).toBe(413);
    expect(errorOf(response)).toMatchObject({
      code: 'payload_too_large',
      message: `the body is ${maxRequestBodyBytes + 1} bytes; this route takes at most ${maxRequestBodyBytes}`,
    });
    expect(reached).toBe(0);
  });

  it('counts a base64 body by the bytes it decodes to', async () => {
    const eleven = Buffer.from('{"a":"123"}').toString('base64');
    const ten = Buffer.from('{"a":"12"}').toString('base64');

    expect((await smallHandler(post(eleven, true))).statusCode).toBe(413);
    expect((await smallHandler(post(ten, true))).statusCode).toBe(200);
  });

  it('reads a body of exactly the limit', async () => {
    const padding = ' '.repeat(maxRequestBodyBytes - 2);

    expect((await handler(post(`{${padding}}`))).statusCode).toBe(200);
  });
});
