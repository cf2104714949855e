import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { type HttpRoute, httpFunctions } from '../../../infra/topology.js';
import { type AdminRole, roleCovers } from '../../../lib/domain/admin-role.js';
import { aRequestContext } from '../../support/proxy-request-context.js';
import { stubHandlerEnv } from './support/handler-env.js';

/**
 * The roles the topology gives the admin routes, and the chain holding every
 * function to them. A refusal comes before anything is read, so the real
 * functions are called here with no table behind them; the same calls at or
 * above each route's role run on DynamoDB Local in
 * test/integration/functions/admin-roles.test.ts.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const HttpFunctionModule = z.object({
  handler: z.custom<Handler>((value) => typeof value === 'function', 'exports no handler'),
});

const adminRoutes = httpFunctions()
  .flatMap((spec) => spec.trigger.routes)
  .filter((route) => route.auth === 'admin');
const key = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

const handlers = new Map<string, Handler>();

beforeAll(async () => {
  stubHandlerEnv();
  for (const spec of httpFunctions()) {
    const module = HttpFunctionModule.parse(await import(`${repoRoot}${spec.entry}`));
    for (const route of spec.trigger.routes) handlers.set(key(route), module.handler);
  }
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const claimsOf = (role: AdminRole | 'none') =>
  role === 'none'
    ? { sub: 'u-0', 'cognito:groups': 'beta-testers' }
    : { sub: `u-${role}`, 'cognito:groups': role };

const call = (
  route: Pick<HttpRoute, 'method' | 'path'>,
  role: AdminRole | 'none',
  method: string = route.method,
) => {
  const handler = handlers.get(key(route));
  if (handler === undefined) throw new Error(`no function serves ${key(route)}`);
  return handler(
    {
      resource: route.path,
      path: route.path,
      httpMethod: method,
      headers: { 'Content-Type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.fromEntries(
        [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => [match[1], 'x']),
      ),
      stageVariables: null,
      body: route.method === 'GET' || route.method === 'DELETE' ? null : '{}',
      isBase64Encoded: false,
      requestContext: aRequestContext({
        method,
        path: route.path,
        authorizer: { claims: claimsOf(role) },
        stage: 'api',
      }),
    },
    lambdaContext({ functionName: 'route-roles-test', memoryMb: 512, timeoutSeconds: 10 }, 'us-east-1'),
  );
};

describe('the topology’s admin routes', () => {
  it('each declare the least role they need', () => {
    expect(adminRoutes.filter((route) => route.role === undefined)).toEqual([]);
  });

  it('let a viewer read everything but an export and the dead letters, which hold records as they failed', () => {
    const reads = adminRoutes.filter((route) => route.method === 'GET');
    expect(
      reads
        .filter((route) => route.role !== 'viewer')
        .map(key)
        .sort(),
    ).toEqual(['GET /admin/contacts/{id}/export', 'GET /admin/dead-letters', 'GET /admin/dead-letters/{id}']);
  });

  it('leave API keys, erasure, the signup form’s confirmation limit, the delivery policy, pausing and resuming marketing email and redrives to admins, and every other change to marketers', () => {
    const writes = adminRoutes.filter((route) => route.method !== 'GET');
    expect(
      writes
        .filter((route) => route.role === 'admin')
        .map(key)
        .sort(),
    ).toEqual([
      'DELETE /admin/contacts/{id}',
      'POST /admin/api-keys',
      'POST /admin/api-keys/{id}/revoke',
      'POST /admin/contacts/{id}/confirmations',
      'POST /admin/dead-letters/redrive',
      'POST /admin/delivery-policy/validate',
      'POST /admin/sending/pause',
      'POST /admin/sending/resume',
      'PUT /admin/delivery-policy',
    ]);
    expect(writes.filter((route) => route.role === 'viewer')).toEqual([]);
  });

  it('cannot be declared without a role, nor a public route with one', async () => {
    const { HttpRoute } = await import('../../../infra/topology.js');
    expect(HttpRoute.safeParse({ method: 'POST', path: '/admin/x', auth: 'admin' }).success).toBe(false);
    expect(HttpRoute.safeParse({ method: 'GET', path: '/x', auth: 'public', role: 'viewer' }).success).toBe(
      false,
    );
  });
});

const refusals = adminRoutes.flatMap((route) =>
  (['none', 'viewer', 'marketer'] as const)
    .filter((role) => route.role !== undefined && (role === 'none' || !roleCovers(role, route.role)))
    .map((role) => [key(route), role, route] as const),
);

describe('a caller below an admin route’s role', () => {
  it('is tried on every admin route (with no role), and with a viewer on every one that needs more', () => {
    const tried = (role: string) => new Set(refusals.filter(([, as]) => as === role).map(([name]) => name));
    expect(tried('none').size).toBe(adminRoutes.length);
    expect(tried('viewer').size).toBe(adminRoutes.filter((route) => route.role !== 'viewer').length);
  });

  it.each(refusals)('is refused %s as %s, with the role it needs', async (_, role, route) => {
    const response = await call(route, role);

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringContaining(`needs the ${route.role} role`),
        requiredRole: route.role,
      },
    });
  });

  it('is refused a HEAD as it is the GET it stands for', async () => {
    const exportRoute = { method: 'GET', path: '/admin/contacts/{id}/export' } as const;

    expect((await call(exportRoute, 'marketer', 'HEAD')).statusCode).toBe(403);
  });
});
