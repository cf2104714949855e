import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type GatewayRoute, type HttpGateway, startHttpGateway } from '../../../infra/local/http-gateway.js';
import { type LocalFunction, loadHandler } from '../../../infra/local/lambda-invoke.js';
import { httpFunctions } from '../../../infra/topology.js';
import { createTestTable } from '../support/table.js';

const adminToken = 'gateway-test-admin-token';
const received: APIGatewayProxyEvent[] = [];
const logged: string[] = [];
const published: Array<{ topic: string; message: string }> = [];

const isProxyEvent = (value: unknown): value is APIGatewayProxyEvent =>
  typeof value === 'object' && value !== null && 'httpMethod' in value && 'requestContext' in value;

const fn = (functionName: string, handler: LocalFunction['handler']): LocalFunction => ({
  functionName,
  memoryMb: 128,
  timeoutSeconds: 5,
  handler,
});

/** Answers with the event it got, so tests can read the proxy event the gateway built. */
const echo = fn('echo', async (event) => {
  if (!isProxyEvent(event)) throw new Error('not a proxy event');
  received.push(event);
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json', 'X-Single': 'one' },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
    body: JSON.stringify({ path: event.path }),
  };
});

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    adminToken,
    region: 'us-east-1',
    log: (line) => logged.push(line),
    routes: [
      { method: 'GET', path: '/echo', auth: 'public', fn: echo },
      { method: 'POST', path: '/echo', auth: 'public', fn: echo },
      { method: 'GET', path: '/admin/things', auth: 'admin', fn: echo },
      { method: 'GET', path: '/items/{itemId}', auth: 'public', fn: echo },
      // After the parameter on purpose: a literal segment wins by precedence, not by order.
      { method: 'GET', path: '/items/latest', auth: 'public', fn: echo },
      { method: 'POST', path: '/items/import', auth: 'public', fn: echo },
      {
        method: 'GET',
        path: '/broken',
        auth: 'public',
        fn: fn('broken', async () => {
          throw new Error('handler exploded');
        }),
      },
      {
        method: 'GET',
        path: '/malformed',
        auth: 'public',
        fn: fn('malformed', async () => ({ body: 'no status' })),
      },
      {
        method: 'GET',
        path: '/binary',
        auth: 'public',
        fn: fn('binary', async () => ({
          statusCode: 200,
          headers: { 'Content-Type': 'image/png' },
          body: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'),
          isBase64Encoded: true,
        })),
      },
    ],
    local: {
      deadLetters: () => [{ functionName: 'x', record: {}, error: 'e', at: '2026-01-01T00:00:00.000Z' }],
      status: () => ({ ok: true }),
      events: () => [{ eventId: 'ev-1', detailType: 'VIP Reached' }],
      publish: async (topic, message) => {
        published.push({ topic, message });
        return { messageId: 'm-1' };
      },
    },
  });
});

afterAll(async () => {
  await gateway.stop();
});

const lastEvent = (): APIGatewayProxyEvent => {
  const event = received.at(-1);
  if (event === undefined) throw new Error('the handler received nothing');
  return event;
};

describe('the proxy event a handler receives', () => {
  it('carries the method, path, resource, stage and request identity', async () => {
    const response = await fetch(`${gateway.url}/echo`, { headers: { 'User-Agent': 'gateway-test/1.0' } });

    expect(response.status).toBe(200);
    const event = lastEvent();
    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/echo',
      resource: '/echo',
      body: null,
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      requestContext: {
        httpMethod: 'GET',
        path: '/echo',
        resourcePath: '/echo',
        stage: 'local',
        identity: { sourceIp: '127.0.0.1', userAgent: 'gateway-test/1.0' },
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(event.requestContext.requestTimeEpoch - Date.now())).toBeLessThan(10_000);
  });

  it('splits the query into last-value and multi-value parameters, decoded', async () => {
    await fetch(`${gateway.url}/echo?tag=a&tag=b&email=ann%2Bnews%40example.com`);

    const event = lastEvent();
    expect(event.queryStringParameters).toEqual({ tag: 'b', email: 'ann+news@example.com' });
    expect(event.multiValueQueryStringParameters).toEqual({
      tag: ['a', 'b'],
      email: ['ann+news@example.com'],
    });
  });

  it('keeps header names as sent, with repeated headers in the multi-value map', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/echo`, {
        headers: { 'X-Custom': ['one', 'two'], Accept: 'text/html' },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end();
    });

    const event = lastEvent();
    expect(event.headers['X-Custom']).toBe('two');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one', 'two']);
    expect(event.headers.Accept).toBe('text/html');
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
  });

  it('passes a form body as text', async () => {
    await fetch(`${gateway.url}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=ann%40example.com&topics=news&topics=offers',
    });

    const event = lastEvent();
    expect(event.httpMethod).toBe('POST');
    expect(event.body).toBe('email=ann%40example.com&topics=news&topics=offers');
    expect(event.isBase64Encoded).toBe(false);
    const contentType = Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'content-type');
    expect(contentType?.[1]).toBe('application/x-www-form-urlencoded');
  });

  it('passes a binary body as base64', async () => {
    await fetch(`${gateway.url}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array([0, 1, 2, 255]),
    });

    const event = lastEvent();
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
  });

  it('fills path parameters from the resource template', async () => {
    await fetch(`${gateway.url}/items/sku%201`);

    const event = lastEvent();
    expect(event.resource).toBe('/items/{itemId}');
    expect(event.pathParameters).toEqual({ itemId: 'sku 1' });
  });
});

describe('which route a path reaches', () => {
  it('is the one with a literal segment where a parameter would also match', async () => {
    const response = await fetch(`${gateway.url}/items/latest`);

    expect(response.status).toBe(200);
    expect(lastEvent()).toMatchObject({ resource: '/items/latest', pathParameters: null });
  });

  it('is decided by the path before the method: a literal resource without the method is a 405', async () => {
    const before = received.length;
    const response = await fetch(`${gateway.url}/items/import`);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(received.length).toBe(before);
  });

  it('is the parameter’s for any other segment', async () => {
    await fetch(`${gateway.url}/items/import`, { method: 'POST' });
    expect(lastEvent().resource).toBe('/items/import');

    await fetch(`${gateway.url}/items/imported`);
    expect(lastEvent()).toMatchObject({
      resource: '/items/{itemId}',
      pathParameters: { itemId: 'imported' },
    });
  });
});

describe('every topology route, served locally', () => {
  const seen: APIGatewayProxyEvent[] = [];
  let served: HttpGateway;
  const adminHeaders = { Authorization: `Bearer ${adminToken}` };
  const recorder = fn('recorder', async (event) => {
    if (!isProxyEvent(event)) throw new Error('not a proxy event');
    seen.push(event);
    return { statusCode: 200, body: '' };
  });

  beforeAll(async () => {
    served = await startHttpGateway({
      port: 0,
      adminToken,
      region: 'us-east-1',
      routes: httpFunctions().flatMap((spec) =>
        spec.trigger.routes.map((route) => ({ ...route, fn: recorder })),
      ),
    });
  });

  afterAll(async () => {
    await served?.stop();
  });

  it.each(
    httpFunctions().flatMap((spec) =>
      spec.trigger.routes.map((route) => [`${route.method} ${route.path}`, route] as const),
    ),
  )('reaches its function as %s, with its resource and parameters', async (_, route) => {
    const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => `${name}-1`);

    const response = await fetch(`${served.url}${path}`, { method: route.method, headers: adminHeaders });

    expect(response.status).toBe(200);
    const event = seen.at(-1);
    expect(event?.httpMethod).toBe(route.method);
    expect(event?.resource).toBe(route.path);
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    expect(event?.pathParameters).toEqual(
      names.length === 0 ? null : Object.fromEntries(names.map((name) => [name, `${name}-1`])),
    );
  });

  it('answers GET on the product import with 405, not as the product "import"', async () => {
    const response = await fetch(`${served.url}/admin/products/import`, { headers: adminHeaders });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('the response the client gets', () => {
  it('has the handler’s status, headers, multi-value headers and body', async () => {
    const response = await fetch(`${gateway.url}/echo`);

    expect(response.headers.get('x-single')).toBe('one');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ path: '/echo' });
  });

  it('decodes a base64 body', async () => {
    const response = await fetch(`${gateway.url}/binary`);

    expect(response.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('is a logged 502 when the handler throws', async () => {
    const response = await fetch(`${gateway.url}/broken`);

    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_gateway' } });
    expect(logged.some((line) => line.includes('handler exploded'))).toBe(true);
  });

  it('is a 502 when the handler returns something that is not a proxy result', async () => {
    const response = await fetch(`${gateway.url}/malformed`);

    expect(response.status).toBe(502);
  });
});

describe('an admin route', () => {
  it('refuses a request without a token', async () => {
    const response = await fetch(`${gateway.url}/admin/things`);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a wrong token', async () => {
    const response = await fetch(`${gateway.url}/admin/things`, {
      headers: { Authorization: `Bearer ${adminToken}x` },
    });

    expect(response.status).toBe(401);
  });

  it('passes the right token through to the handler', async () => {
    const before = received.length;
    const response = await fetch(`${gateway.url}/admin/things`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });

    expect(response.status).toBe(200);
    expect(received.length).toBe(before + 1);
    expect(lastEvent().path).toBe('/admin/things');
  });
});

describe('a request no route takes', () => {
  it('is a 404 for an unknown path', async () => {
    const response = await fetch(`${gateway.url}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('is a 405 naming the allowed methods for a known path', async () => {
    const response = await fetch(`${gateway.url}/echo`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('is a 413 when the body is over 1 MB', async () => {
    const before = received.length;
    const response = await fetch(`${gateway.url}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(received.length).toBe(before);
  });
});

describe('a HEAD request', () => {
  it('is answered by the GET route, with GET’s status and headers and no body', async () => {
    const get = await fetch(`${gateway.url}/echo`);
    const getBody = await get.arrayBuffer();

    const response = await fetch(`${gateway.url}/echo`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-length')).toBe(String(getBody.byteLength));
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-single')).toBe('one');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('reaches the handler as HEAD on the GET route’s resource, as API Gateway sends it', async () => {
    await fetch(`${gateway.url}/items/sku%201`, { method: 'HEAD' });

    expect(lastEvent()).toMatchObject({
      httpMethod: 'HEAD',
      resource: '/items/{itemId}',
      pathParameters: { itemId: 'sku 1' },
      requestContext: { httpMethod: 'HEAD', resourcePath: '/items/{itemId}' },
    });
  });

  it('needs the admin token on an admin GET route, and answers 200 without a body with it', async () => {
    const refused = await fetch(`${gateway.url}/admin/things`, { method: 'HEAD' });
    const answered = await fetch(`${gateway.url}/admin/things`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${adminToken}` },
    });

    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('');
    expect(answered.status).toBe(200);
    expect(await answered.text()).toBe('');
  });

  it('is answered on the local GET routes too', async () => {
    const response = await fetch(`${gateway.url}/local/status`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('is a 405 where the path has no GET', async () => {
    const response = await fetch(`${gateway.url}/local/topics/ses-feedback`, { method: 'HEAD' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.text()).toBe('');
  });
});

describe('HEAD on the real functions, as `npm start` serves them', () => {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const savedEnv = { ...process.env };
  let served: HttpGateway;

  beforeAll(async () => {
    const table = await createTestTable();
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      DYNAMODB_ENDPOINT: table.endpoint,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      SENDER_EMAIL: 'hello@example.com',
      POSTAL_ADDRESS: '1 Example Street, Example City',
      ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
      TOKEN_KEYS: JSON.stringify({ current: 'k1', k1: 'k'.repeat(32) }),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const routes: GatewayRoute[] = [];
    for (const spec of httpFunctions().filter((entry) => ['site', 'admin-api-keys'].includes(entry.name))) {
      const handler = await loadHandler(repoRoot, spec.entry);
      const fn = {
        functionName: spec.name,
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        handler,
      };
      for (const route of spec.trigger.routes) routes.push({ ...route, fn });
    }
    served = await startHttpGateway({
      port: 0,
      adminToken,
      region: localRegion,
      routes,
      log: (line) => logged.push(line),
    });
  });

  afterAll(async () => {
    await served?.stop();
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  });

  it.each([
    ['the health check', '/health'],
    ['the public signup page', '/'],
  ])('answers HEAD on %s like GET, without the body', async (_, path) => {
    const get = await fetch(`${served.url}${path}`);
    const getBody = await get.arrayBuffer();

    const response = await fetch(`${served.url}${path}`, { method: 'HEAD' });

    expect(get.status).toBe(200);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(response.headers.get('content-length')).toBe(String(getBody.byteLength));
  });

  it('answers HEAD on an admin GET route with the token like GET, without the body', async () => {
    const headers = { Authorization: `Bearer ${adminToken}` };
    const get = await fetch(`${served.url}/admin/api-keys`, { headers });
    const getBody = await get.arrayBuffer();

    const response = await fetch(`${served.url}/admin/api-keys`, { method: 'HEAD', headers });

    expect(get.status).toBe(200);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-length')).toBe(String(getBody.byteLength));
  });
});

describe('the local-only routes', () => {
  it('list the dead letters', async () => {
    const response = await fetch(`${gateway.url}/local/dead-letters`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([expect.objectContaining({ functionName: 'x' })]);
  });

  it('publish the raw body to a topic', async () => {
    const response = await fetch(`${gateway.url}/local/topics/ses-feedback`, {
      method: 'POST',
      body: '{"notificationType":"Bounce"}',
    });

    expect(response.status).toBe(202);
    expect(published.at(-1)).toEqual({ topic: 'ses-feedback', message: '{"notificationType":"Bounce"}' });
  });

  it('list the events put on the local event bus', async () => {
    const response = await fetch(`${gateway.url}/local/events`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ eventId: 'ev-1', detailType: 'VIP Reached' }]);
  });

  it('report status', async () => {
    const response = await fetch(`${gateway.url}/local/status`);

    expect(await response.json()).toEqual({ ok: true });
  });
});
