import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeHttpRequest } from '../../../functions/http/http-request.js';
import { aRequestContext } from '../../support/proxy-request-context.js';

const event = (overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent => ({
  resource: '/v1/signup',
  path: '/v1/signup',
  httpMethod: 'POST',
  headers: {},
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  body: null,
  isBase64Encoded: false,
  requestContext: aRequestContext({ method: 'POST', path: '/v1/signup' }),
  ...overrides,
});

const own = (values: unknown, name: string): unknown =>
  typeof values === 'object' && values !== null
    ? Object.getOwnPropertyDescriptor(values, name)?.value
    : undefined;

describe('when a form field or query parameter is named __proto__', () => {
  it('keeps it as a value of that name and leaves the prototype alone', async () => {
    const request = await decodeHttpRequest(
      event({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '__proto__=a&__proto__=b&email=ann%40example.com',
        queryStringParameters: { __proto__: 'q' },
        multiValueQueryStringParameters: JSON.parse('{"__proto__":["q"]}'),
      }),
      'strict',
    );

    expect(own(request.body, '__proto__')).toEqual(['a', 'b']);
    expect(own(request.body, 'email')).toBe('ann@example.com');
    expect(Object.getPrototypeOf(request.body)).toBe(Object.prototype);
    expect(own(request.query, '__proto__')).toBe('q');
    expect(Object.getPrototypeOf(request.query)).toBe(Object.prototype);
  });
});
