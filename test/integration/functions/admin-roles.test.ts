import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { type HttpRoute, httpFunctions } from '../../../infra/topology.js';
import { DynamoAuditLog } from '../../../lib/adapters/dynamodb/dynamo-audit-log.js';
import { AdminRole, roleCovers } from '../../../lib/domain/admin-role.js';
import { AuditEntry } from '../../../lib/domain/audit-entry.js';
import { aRequestContext } from '../../support/proxy-request-context.js';
import { createTestTable } from '../support/table.js';

/**
 * Every admin route that changes something (or, like an export, needs more than
 * a viewer), called with each role through the real function and its chain, on
 * a table in DynamoDB Local: refused with 403 below the route's role, and
 * never refused for its role at or above it.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
/** What every HTTP function module exports: its middy handler. */
const HttpFunctionModule = z.object({
  handler: z.custom<Handler>((value) => typeof value === 'function', 'exports no handler'),
});

const handlers = new Map<string, Handler>();
let audit: DynamoAuditLog;

beforeAll(async () => {
  const { tableName, documentClient, endpoint } = await createTestTable();
  audit = new DynamoAuditLog(documentClient, tableName);
  for (const [name, value] of Object.entries({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    SENDER_EMAIL: 'hello@example.com',
    POSTAL_ADDRESS: '1 Example Street, Example City',
    ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
    TOKEN_KEYS: JSON.stringify({ current: 'k1', k1: 'k'.repeat(32) }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  }))
    vi.stubEnv(name, value);
  for (const spec of httpFunctions()) {
    const module = HttpFunctionModule.parse(await import(`${repoRoot}${spec.entry}`));
    for (const route of spec.trigger.routes) {
      handlers.set(`${route.method} ${route.path}`, module.handler);
    }
  }
});

afterAll(() => {
  vi.unstubAllEnvs();
});

/** The request context the cloud gives a caller of the role: a Cognito user in its group, or IAM for an admin. */
const requestContextOf = (
  role: AdminRole,
  route: Pick<HttpRoute, 'method' | 'path'>,
): APIGatewayProxyEvent['requestContext'] =>
  aRequestContext({
    method: route.method,
    path: route.path,
    authorizer: role === 'admin' ? null : { claims: { sub: `sub-of-a-${role}`, 'cognito:groups': role } },
    userArn: role === 'admin' ? 'arn:aws:iam::123456789012:user/ops' : null,
    stage: 'api',
  });

const call = async (
  route: Pick<HttpRoute, 'method' | 'path'>,
  role: AdminRole,
  { pathParameters, body = {} }: { pathParameters?: Record<string, string>; body?: unknown } = {},
): Promise<APIGatewayProxyResult> => {
  const handler = handlers.get(`${route.method} ${route.path}`);
  if (handler === undefined) throw new Error(`no function serves ${route.method} ${route.path}`);
  const parameters =
    pathParameters ??
    Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((match) => [match[1], 'role-test']));
  const event: APIGatewayProxyEvent = {
    resource: route.path,
    path: route.path,
    httpMethod: route.method,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(parameters).length === 0 ? null : parameters,
    stageVariables: null,
    body: route.method === 'GET' || route.method === 'DELETE' ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: requestContextOf(role, route),
  };
  return handler(
    event,
    lambdaContext({ functionName: 'admin-roles-test', memoryMb: 512, timeoutSeconds: 29 }, localRegion),
  );
};

const guardedRoutes = httpFunctions()
  .flatMap((spec) => spec.trigger.routes)
  .flatMap((route) =>
    route.role !== undefined && (route.method !== 'GET' || route.role !== 'viewer')
      ? [{ ...route, role: route.role }]
      : [],
  );

describe('every admin route that needs more than a viewer', () => {
  it('is listed, changes included', () => {
    expect(guardedRoutes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /admin/journeys/{id}/publish',
        'POST /admin/campaigns/{id}/launch',
        'POST /admin/api-keys',
        'GET /admin/contacts/{id}/export',
        'DELETE /admin/contacts/{id}',
      ]),
    );
  });

  it.each(
    guardedRoutes.flatMap((route) =>
      AdminRole.options.map((role) => [`${route.method} ${route.path}`, role, route] as const),
    ),
  )('%s as %s: refused below the route’s role, never at or above it', async (_, role, route) => {
    const response = await call(route, role);

    if (roleCovers(role, route.role)) {
      expect(response.statusCode).not.toBe(403);
    } else {
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({
        error: { code: 'forbidden', requiredRole: route.role },
      });
      expect(JSON.parse(response.body).error.message).toContain(`needs the ${route.role} role`);
    }
  });
});

describe('a change through the admin API', () => {
  const campaign = {
    id: 'audit-winter',
    name: 'Winter offer for ann@example.com',
    audience: { segmentId: 'top-value' },
    channel: { kind: 'email', templateId: 'winter-offer' },
    schedule: { kind: 'local', date: '2026-12-12', time: '10:00' },
    holdout: 10,
  };
  const campaignRoute = { method: 'PUT', path: '/admin/campaigns/{id}' } as const;

  it('writes one entry with its actor, route, target and versions, and nothing of the body', async () => {
    const created = await call(campaignRoute, 'marketer', {
      pathParameters: { id: campaign.id },
      body: campaign,
    });
    expect(created.statusCode, created.body).toBe(200);
    const before = (await audit.list(100)).entries.length;

    const replaced = await call(campaignRoute, 'marketer', {
      pathParameters: { id: campaign.id },
      body: { ...campaign, version: 1 },
    });

    expect(replaced.statusCode, replaced.body).toBe(200);
    const { entries } = await audit.list(100);
    expect(entries).toHaveLength(before + 1);
    expect(entries[0]).toEqual(
      AuditEntry.parse({
        ...entries[0],
        actor: { id: 'sub-of-a-marketer', role: 'marketer' },
        method: 'PUT',
        route: '/admin/campaigns/{id}',
        target: { id: 'audit-winter' },
        status: 200,
        versionBefore: 1,
        versionAfter: 2,
      }),
    );
    expect(JSON.stringify(entries)).not.toContain('ann@example.com');
  });

  it('is read back newest first by a viewer from GET /admin/audit', async () => {
    const response = await call({ method: 'GET', path: '/admin/audit' }, 'viewer');

    expect(response.statusCode).toBe(200);
    const page = z.object({ entries: z.array(AuditEntry) }).parse(JSON.parse(response.body));
    expect(page.entries[0]).toMatchObject({ route: '/admin/campaigns/{id}', versionAfter: 2 });
  });

  it('writes nothing for a refusal, a read or a dry run', async () => {
    const before = (await audit.list(100)).entries.length;

    await call(campaignRoute, 'viewer', { pathParameters: { id: campaign.id }, body: campaign });
    await call({ method: 'GET', path: '/admin/campaigns/{id}' }, 'viewer', {
      pathParameters: { id: campaign.id },
    });
    await call({ method: 'POST', path: '/admin/campaigns/{id}/validate' }, 'marketer', {
      pathParameters: { id: campaign.id },
      body: campaign,
    });

    expect((await audit.list(100)).entries).toHaveLength(before);
  });
});
