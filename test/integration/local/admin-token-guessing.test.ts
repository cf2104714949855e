import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../../infra/local/http-gateway.js';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';
import { MemoryRateLimiter } from '../../../lib/adapters/memory/memory-rate-limiter.js';
import { MemoryTable } from '../../../lib/adapters/memory/memory-table.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { badCredentialsPerSource } from '../../../lib/app/bad-credentials.js';
import { sendRaw } from '../../support/raw-http.js';

const tokens = { admin: 'guessing-test-admin-token', viewer: 'guessing-test-viewer-token' };
const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
let calls = 0;

const counter: LocalFunction = {
  functionName: 'counter',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler: async () => {
    calls += 1;
    return { statusCode: 200, body: '{}' };
  },
};

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    adminToken: tokens.admin,
    roleTokens: { viewer: tokens.viewer },
    region: 'us-east-1',
    credentialChecks: { rateLimiter: new MemoryRateLimiter(new MemoryTable()), clock },
    routes: [{ method: 'GET', path: '/admin/things', auth: 'admin', fn: counter }],
  });
});

afterAll(async () => {
  await gateway.stop();
});

/** The answer to one request from `from`, with the parts a caller could tell refusals apart by. */
const get = async (from: string, authorization?: string) => {
  const response = await sendRaw({
    baseUrl: gateway.url,
    method: 'GET',
    path: '/admin/things',
    headers: authorization === undefined ? [] : [['Authorization', authorization]],
    from,
  });
  if (response.kind !== 'answered') throw new Error(`no answer: ${response.code}`);
  return {
    status: response.status,
    authenticate: response.headers['www-authenticate'],
    body: response.text,
  };
};

const wrongToken = (n: number) => `Bearer guess-${n}-of-the-admin-token`;

describe('when a caller sends a wrong admin or role token', () => {
  it('answers exactly as for a missing token, and the function never runs', async () => {
    const before = calls;
    const missing = await get('127.0.3.1');
    const wrong = await get('127.0.3.1', wrongToken(0));
    const wrongScheme = await get('127.0.3.1', `Basic ${tokens.admin}`);

    expect(missing.status).toBe(401);
    expect(wrong).toEqual(missing);
    expect(wrongScheme).toEqual(missing);
    expect(calls).toBe(before);
  });
});

describe('when one address guesses tokens', () => {
  it('stops checking tokens from it after the limit, the right one too, answering as for a missing one', async () => {
    const guesser = '127.0.3.2';
    const missing = await get(guesser);
    for (let n = 0; n < badCredentialsPerSource.limit; n += 1) await get(guesser, wrongToken(n));

    expect(await get(guesser, `Bearer ${tokens.admin}`)).toEqual(missing);
    expect(await get(guesser, `Bearer ${tokens.viewer}`)).toEqual(missing);
    expect((await get('127.0.3.3', `Bearer ${tokens.admin}`)).status).toBe(200);

    clock.advance(badCredentialsPerSource.windowMs);
    expect((await get(guesser, `Bearer ${tokens.admin}`)).status).toBe(200);
  });

  it('counts nothing for a request without a token, which guesses nothing', async () => {
    const forgetful = '127.0.3.4';
    for (let n = 0; n < badCredentialsPerSource.limit + 5; n += 1) await get(forgetful);

    expect((await get(forgetful, `Bearer ${tokens.viewer}`)).status).toBe(200);
  });
});
