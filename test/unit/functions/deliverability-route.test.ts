import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { aRequestContext } from '../../support/proxy-request-context.js';
import { stubHandlerEnv } from './support/handler-env.js';

/**
 * `GET /admin/deliverability` through its function's HTTP chain: a bad period
 * is refused before anything is read, so no table stands behind it here.
 */
type Module = typeof import('../../../functions/http/admin-reports.js');
let handler: Module['handler'];

beforeAll(async () => {
  stubHandlerEnv();
  ({ handler } = await import('../../../functions/http/admin-reports.js'));
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const ask = (query: Record<string, string>) =>
  handler(
    {
      resource: '/admin/deliverability',
      path: '/admin/deliverability',
      httpMethod: 'GET',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: Object.fromEntries(
        Object.entries(query).map(([name, value]) => [name, [value]]),
      ),
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: aRequestContext({
        method: 'GET',
        path: '/admin/deliverability',
        authorizer: { claims: { sub: 'u-viewer', 'cognito:groups': 'viewer' } },
        stage: 'api',
      }),
    },
    lambdaContext({ functionName: 'deliverability-test', memoryMb: 512, timeoutSeconds: 29 }, 'us-east-1'),
  );

describe('when the deliverability period is not one it takes', () => {
  it.each([
    ['91', 'must be from 1 to 90'],
    ['0', 'must be from 1 to 90'],
    ['a week', 'must be a whole number of days'],
    ['7.5', 'must be a whole number of days'],
  ])('answers days=%s with a 400 naming days: %s', async (days, problem) => {
    const response = await ask({ days });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: { code: 'invalid_request', fields: { days: problem } },
    });
  });
});
