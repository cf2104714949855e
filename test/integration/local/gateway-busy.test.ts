import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../../infra/local/http-gateway.js';

/** A function that holds every invocation until the test lets them all go. */
const held: Array<() => void> = [];
const slow = {
  functionName: 'slow',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler: async () => {
    await new Promise<void>((resolve) => held.push(resolve));
    return { statusCode: 200, body: 'done' };
  },
};

let gateway: HttpGateway;

beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    adminToken: 'gateway-busy-admin-token',
    region: 'us-east-1',
    functionConcurrency: 2,
    routes: [{ method: 'POST', path: '/slow', auth: 'public', fn: slow }],
  });
});

afterAll(async () => {
  for (const release of held.splice(0)) release();
  await gateway.stop();
});

const untilHeld = async (count: number) => {
  while (held.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('when a function has as many invocations in flight as its concurrency', () => {
  it('turns the next caller away with 503 and Retry-After at once, and serves again once one finishes', async () => {
    const first = fetch(`${gateway.url}/slow`, { method: 'POST', body: '{}' });
    const second = fetch(`${gateway.url}/slow`, { method: 'POST', body: '{}' });
    await untilHeld(2);

    const turnedAway = await fetch(`${gateway.url}/slow`, { method: 'POST', body: '{}' });
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers.get('retry-after')).toBe('1');
    expect(await turnedAway.json()).toMatchObject({ error: { code: 'busy' } });

    held.shift()?.();
    expect((await first).status).toBe(200);
    const third = fetch(`${gateway.url}/slow`, { method: 'POST', body: '{}' });
    await untilHeld(2);
    for (const release of held.splice(0)) release();
    expect((await second).status).toBe(200);
    expect((await third).status).toBe(200);
  });
});
