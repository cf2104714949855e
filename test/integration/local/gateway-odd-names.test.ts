import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../../infra/local/http-gateway.js';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';
import { sendRaw } from '../../support/raw-http.js';

const received: APIGatewayProxyEvent[] = [];
const logged: string[] = [];

const isProxyEvent = (value: unknown): value is APIGatewayProxyEvent =>
  typeof value === 'object' && value !== null && 'httpMethod' in value && 'requestContext' in value;

const recorder: LocalFunction = {
  functionName: 'recorder',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler: async (event) => {
    if (!isProxyEvent(event)) throw new Error('not a proxy event');
    received.push(event);
    return { statusCode: 200, body: '{}' };
  },
};

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    adminToken: 'odd-names-admin-token',
    region: 'us-east-1',
    log: (line) => logged.push(line),
    routes: [{ method: 'GET', path: '/things', auth: 'public', fn: recorder }],
  });
});

afterAll(async () => {
  await gateway.stop();
});

describe('when a query parameter or a header is named like a property of every object', () => {
  it('hands it to the function as data, as API Gateway does, instead of failing', async () => {
    const response = await sendRaw({
      baseUrl: gateway.url,
      method: 'GET',
      path: '/things?__proto__=1&constructor=2&__proto__=3',
      headers: [
        ['__proto__', 'header'],
        ['constructor', 'too'],
      ],
    });

    expect(response.kind === 'answered' ? response.status : response.code).toBe(200);
    const event = received.at(-1);
    expect(Object.getOwnPropertyDescriptor(event?.queryStringParameters ?? {}, '__proto__')?.value).toBe('3');
    expect(
      Object.getOwnPropertyDescriptor(event?.multiValueQueryStringParameters ?? {}, '__proto__')?.value,
    ).toEqual(['1', '3']);
    expect(event?.queryStringParameters?.constructor).toBe('2');
    expect(Object.getOwnPropertyDescriptor(event?.headers ?? {}, '__proto__')?.value).toBe('header');
    expect(Object.getPrototypeOf(event?.headers)).toBe(Object.prototype);
  });
});

describe('when Node refuses a request’s framing after it began', () => {
  it('leaves Node’s 400 as the answer and logs no gateway failure', async () => {
    // A Transfer-Encoding that is not chunked cannot frame a request body (RFC 9112 §6.3).
    const response = await sendRaw({
      baseUrl: gateway.url,
      method: 'GET',
      path: '/things',
      headers: [['Transfer-Encoding', 'identity']],
    });

    expect(response.kind === 'answered' ? response.status : response.code).toBe(400);
    // One more round trip, so whatever the gateway did with the broken request is done.
    await sendRaw({ baseUrl: gateway.url, method: 'GET', path: '/things' });
    expect(logged).toEqual([]);
  });
});

describe('when the request target is not a plain path', () => {
  const statusOf = async (method: string, path: string) => {
    const response = await sendRaw({ baseUrl: gateway.url, method, path });
    return response.kind === 'answered' ? response.status : response.code;
  };

  it('reads a path that starts with two slashes as a path, not as a host', async () => {
    expect(await statusOf('GET', '//')).toBe(404);
    expect(await statusOf('GET', '//[')).toBe(404);
    expect(await statusOf('GET', '//things')).toBeLessThan(500);
    expect(logged).toEqual([]);
  });

  it('serves the path of an absolute URL, and refuses a target that is no path at all', async () => {
    expect(await statusOf('GET', 'http://elsewhere.example/things?a=1')).toBe(200);
    expect(await statusOf('OPTIONS', '*')).toBe(400);
    expect(logged).toEqual([]);
  });
});
