import { describe, expect, it } from 'vitest';
import {
  DuplicateRouteError,
  InvalidResourcePathError,
  resourceRouter,
} from '../../../infra/local/resource-router.js';
import { HttpRoute } from '../../../infra/topology.js';

const router = resourceRouter([
  // The parameter first, so a literal that wins does so by precedence, not by order.
  { method: 'GET', path: '/products/{sku}', target: 'get product' },
  { method: 'PUT', path: '/products/{sku}', target: 'put product' },
  { method: 'POST', path: '/products/import', target: 'import' },
  { method: 'GET', path: '/products/{sku}/jobs', target: 'product jobs' },
  { method: 'GET', path: '/journeys/{id}', target: 'get journey' },
  { method: 'GET', path: '/journeys/latest', target: 'latest journey' },
  { method: 'GET', path: '/', target: 'root' },
]);

describe('matching a request path to a resource', () => {
  it('prefers a literal segment over a parameter, whatever the order the routes came in', () => {
    expect(router.match('GET', '/journeys/latest')).toEqual({
      kind: 'matched',
      target: 'latest journey',
      resource: '/journeys/latest',
      pathParameters: {},
    });
    expect(router.match('POST', '/products/import')).toMatchObject({ kind: 'matched', target: 'import' });
  });

  it('gives the parameter anything else in its segment, decoded', () => {
    expect(router.match('GET', '/journeys/welcome%20back')).toEqual({
      kind: 'matched',
      target: 'get journey',
      resource: '/journeys/{id}',
      pathParameters: { id: 'welcome back' },
    });
  });

  it('matches the resource before the method, as API Gateway does: a literal resource without the method is a 405', () => {
    expect(router.match('GET', '/products/import')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
  });

  it('answers a known path with the wrong method by the methods it has, HEAD beside GET', () => {
    expect(router.match('DELETE', '/products/abc')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'HEAD', 'PUT'],
    });
  });

  it('serves HEAD through the GET route', () => {
    expect(router.match('HEAD', '/products/abc/jobs')).toMatchObject({
      kind: 'matched',
      target: 'product jobs',
      resource: '/products/{sku}/jobs',
      pathParameters: { sku: 'abc' },
    });
  });

  it.each([
    ['an unknown path', '/nowhere'],
    ['a path one segment too long', '/products/abc/jobs/more'],
    ['a parameter whose encoding is broken', '/journeys/%E0%A4%A'],
  ])('finds nothing for %s', (_, path) => {
    expect(router.match('GET', path)).toEqual({ kind: 'not-found' });
  });

  it('takes a long parameter as it comes, so the handler can refuse it by name', () => {
    const sku = 'x'.repeat(500);
    expect(router.match('GET', `/products/${sku}`)).toMatchObject({ pathParameters: { sku } });
  });

  it('reads empty segments as none, as the local gateway always has', () => {
    expect(router.match('GET', '/products/abc/')).toMatchObject({ resource: '/products/{sku}' });
    expect(router.match('GET', '//journeys//latest')).toMatchObject({ resource: '/journeys/latest' });
    expect(router.match('GET', '/')).toMatchObject({ target: 'root' });
  });
});

describe('when a route cannot be matched as the cloud would', () => {
  it.each(['/files/{path+}', '/files/{name}.txt', '/a:b', '/trailing/', 'relative'])(
    'refuses the template %s',
    (path) => {
      expect(() => resourceRouter([{ method: 'GET', path, target: 'x' }])).toThrow(InvalidResourcePathError);
      expect(HttpRoute.safeParse({ method: 'GET', path, auth: 'public' }).success).toBe(false);
    },
  );

  it('refuses the same method on the same resource twice', () => {
    expect(() =>
      resourceRouter([
        { method: 'GET', path: '/x/{id}', target: 'one' },
        { method: 'GET', path: '/x/{id}', target: 'two' },
      ]),
    ).toThrow(DuplicateRouteError);
  });
});
