import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminTokenTooShortError,
  type HttpGateway,
  SharedRoleTokenError,
  startHttpGateway,
} from '../../../infra/local/http-gateway.js';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';
import { adminCallerOf } from '../../../lib/domain/admin-role.js';

const tokens = {
  admin: 'role-test-admin-token',
  marketer: 'role-test-marketer-token',
  viewer: 'role-test-viewer-token',
};
const received: APIGatewayProxyEvent[] = [];

const isProxyEvent = (value: unknown): value is APIGatewayProxyEvent =>
  typeof value === 'object' && value !== null && 'httpMethod' in value && 'requestContext' in value;

const recorder: LocalFunction = {
  functionName: 'recorder',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler: async (event) => {
    if (!isProxyEvent(event)) throw new Error('not a proxy event');
    received.push(event);
    return { statusCode: 200, body: '' };
  },
};

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    adminToken: tokens.admin,
    roleTokens: { marketer: tokens.marketer, viewer: tokens.viewer },
    region: 'us-east-1',
    routes: [{ method: 'POST', path: '/admin/things', auth: 'admin', fn: recorder }],
  });
});

afterAll(async () => {
  await gateway.stop();
});

const post = (token: string) =>
  fetch(`${gateway.url}/admin/things`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });

describe('the local gateway’s tokens', () => {
  it.each([
    ['admin', { id: 'arn:aws:iam::000000000000:user/local-admin', role: 'admin' }],
    ['marketer', { id: 'local-marketer', role: 'marketer' }],
    ['viewer', { id: 'local-viewer', role: 'viewer' }],
  ] as const)('hand the %s to the function as the cloud would name one', async (role, caller) => {
    const response = await post(tokens[role]);

    expect(response.status).toBe(200);
    expect(adminCallerOf(received.at(-1)?.requestContext)).toEqual(caller);
  });

  it('put a marketer or viewer in the Cognito claims, the admin in the IAM identity', async () => {
    await post(tokens.viewer);
    expect(received.at(-1)?.requestContext.authorizer).toEqual({
      claims: { sub: 'local-viewer', 'cognito:groups': 'viewer' },
    });
    await post(tokens.admin);
    expect(received.at(-1)?.requestContext.authorizer).toBeNull();
  });

  it('refuse any other token before the function runs', async () => {
    const before = received.length;

    expect((await post(`${tokens.viewer}x`)).status).toBe(401);
    expect(received).toHaveLength(before);
  });
});

describe('a gateway started with role tokens', () => {
  const start = (roleTokens: { marketer?: string; viewer?: string }) =>
    startHttpGateway({ port: 0, adminToken: tokens.admin, roleTokens, region: 'us-east-1', routes: [] });

  it('refuses a token shorter than 16 characters, naming its variable', async () => {
    await expect(start({ viewer: 'short' })).rejects.toThrow(AdminTokenTooShortError);
    await expect(start({ viewer: 'short' })).rejects.toThrow(/RAPPORT_VIEWER_TOKEN/);
  });

  it('refuses one token for two roles', async () => {
    await expect(start({ marketer: tokens.admin })).rejects.toThrow(SharedRoleTokenError);
  });
});
