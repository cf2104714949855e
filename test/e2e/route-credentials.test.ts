import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminRole, roleCovers } from '../../lib/domain/admin-role.js';
import { type RawResponse, sendRaw } from '../support/raw-http.js';
import { type DeclaredRoute, declaredRoutes, fillPath, parameterNames } from './support/declared-routes.js';
import { addFixtures, type Fixtures, type HttpStack, startHttpStack, tokens } from './support/http-stack.js';

/**
 * Every route of the topology that takes a credential, over HTTP against the local
 * runtime: without one, with a wrong one, a revoked API key or a token of a role
 * below the route's, it is refused; with the right one it is let through. The routes
 * come from the topology, so a route added there is checked here too.
 */
let stack: HttpStack;
let fixtures: Fixtures;

beforeAll(async () => {
  stack = await startHttpStack();
  fixtures = await addFixtures(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const routes = declaredRoutes();
const adminRoutes = routes.filter((route) => route.role !== undefined);
const apiKeyRoutes = routes.filter((route) => route.apiKey === true);
const openRoutes = routes.filter((route) => route.auth === 'public' && route.apiKey !== true);

/** Each route's requests come from an address of their own, so no route's wrong tokens lock another's out. */
const sourceOf = (route: DeclaredRoute): string => {
  const index = routes.indexOf(route);
  return `127.20.${Math.floor(index / 200)}.${(index % 200) + 1}`;
};

const send = async (route: DeclaredRoute, authorization: string | undefined): Promise<RawResponse> =>
  sendRaw({
    baseUrl: stack.apiUrl,
    method: route.method,
    path: fillPath(route, Object.fromEntries(parameterNames(route).map((name) => [name, 'no-such-thing']))),
    headers: [
      ['content-type', 'application/json'],
      ...(authorization === undefined ? [] : [['authorization', authorization] as const]),
    ],
    body: route.method === 'GET' || route.method === 'OPTIONS' ? undefined : '{}',
    from: sourceOf(route),
  });

/** What a caller can tell a refusal by: its status, its challenge and its body. */
const refusal = (response: RawResponse) =>
  response.kind === 'answered'
    ? { status: response.status, challenge: response.headers['www-authenticate'], body: response.text }
    : { status: 0, challenge: response.code, body: '' };

const rolesBelow = (role: AdminRole): AdminRole[] =>
  AdminRole.options.filter((other) => !roleCovers(other, role));

describe('an admin route', () => {
  it.each(adminRoutes.map((route) => [route.key, route] as const))(
    '%s refuses a missing, wrong or lesser token and lets the right role through',
    async (_key, route) => {
      const role = route.role ?? 'admin';
      const missing = refusal(await send(route, undefined));
      expect(missing.status).toBe(401);
      expect(refusal(await send(route, 'Bearer not-any-token-of-this-stack'))).toEqual(missing);
      expect(refusal(await send(route, `Basic ${tokens.admin}`))).toEqual(missing);
      expect(refusal(await send(route, `Bearer ${fixtures.apiKey}`))).toEqual(missing);

      for (const lesser of rolesBelow(role)) {
        const answer = await send(route, `Bearer ${tokens[lesser]}`);
        expect(answer.kind === 'answered' ? answer.status : 0, `${lesser} on ${route.key}`).toBe(403);
        if (answer.kind === 'answered')
          expect(JSON.parse(answer.text).error).toMatchObject({ code: 'forbidden', requiredRole: role });
      }

      const allowed = await send(route, `Bearer ${tokens[role]}`);
      expect(allowed.kind).toBe('answered');
      if (allowed.kind === 'answered') {
        expect([401, 403], `${role} on ${route.key}: ${allowed.text}`).not.toContain(allowed.status);
        expect(allowed.status).toBeLessThan(500);
      }
    },
  );
});

describe('a route that takes an API key', () => {
  it('exists in the topology', () => {
    expect(apiKeyRoutes.length).toBeGreaterThan(0);
  });

  it.each(apiKeyRoutes.map((route) => [route.key, route] as const))(
    '%s refuses a missing, unknown or revoked key alike and lets a good one through',
    async (_key, route) => {
      const missing = refusal(await send(route, undefined));
      expect(missing.status).toBe(401);
      expect(refusal(await send(route, `Bearer ${fixtures.revokedApiKey}`))).toEqual(missing);
      expect(refusal(await send(route, `Bearer rk_${'x'.repeat(43)}`))).toEqual(missing);
      expect(refusal(await send(route, `Bearer ${tokens.admin}`))).toEqual(missing);

      const allowed = await send(route, `Bearer ${fixtures.apiKey}`);
      expect(allowed.kind === 'answered' ? allowed.status : 0).not.toBe(401);
    },
  );
});

describe('a public route that declares no credential', () => {
  it.each(openRoutes.map((route) => [route.key, route] as const))(
    '%s answers without one',
    async (_key, route) => {
      const answer = refusal(await send(route, undefined));

      expect([401, 403]).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    },
  );
});
