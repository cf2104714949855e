import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable } from './support/table.js';

/**
 * The reproductions of the hardening review, over HTTP against the local
 * runtime as `npm start` runs it: each request is what an attacker (or a
 * careless integration) sent, and each expectation what must hold instead.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let key: string;

const admin = { authorization: `Bearer ${adminToken}` };

const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, text: await response.text() };
};

/** The ingestion API with the raw JSON text, so numbers arrive as the wire has them. */
const ingest = (rawJson: string) => send('POST', '/v1/events', rawJson, { authorization: `Bearer ${key}` });

const fieldsOf = (text: string): Record<string, string> => JSON.parse(text).error?.fields ?? {};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  const { client, documentClient } = connectToTable(env.stack);
  const at = new Date().toISOString();
  await new DynamoCatalogStore(documentClient, env.stack.tableName).put(
    {
      sku: 'FILTER-6M',
      name: 'Filter',
      category: 'filters',
      price: 20,
      currency: 'EUR',
      replacementCycleDays: 180,
      createdAt: at,
      updatedAt: at,
    },
    undefined,
  );
  client.destroy();
  const created = await env.http.postJson('/admin/api-keys', { name: 'hostile input' }, admin);
  key = String(JSON.parse(created.text).key);
});
afterAll(async () => {
  await env?.stack.stop();
});

describe('when an order says it happened in the year 9999', () => {
  it('is refused with 400 naming timestamp, and the person stays readable and erasable', async () => {
    const order = (messageId: string, timestamp: string) =>
      JSON.stringify({
        type: 'track',
        event: 'Order Completed',
        userId: 'far-future',
        email: 'far-future@example.com',
        messageId,
        timestamp,
        properties: { order_id: messageId, total: 20, products: [{ sku: 'FILTER-6M', price: 20 }] },
      });

    const refused = await ingest(order('ff-1', '9999-12-31T00:00:00Z'));
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.text)).toEqual({ timestamp: expect.stringContaining('must lie between') });

    expect((await ingest(order('ff-2', new Date().toISOString()))).status).toBe(202);
    const found = await env.http.contact('far-future@example.com');
    expect(found.status).toBe(200);
    const id = found.body?.contact.id ?? '';
    expect((await send('GET', `/admin/contacts/${id}/export`, undefined, admin)).status).toBe(200);
    expect((await send('DELETE', `/admin/contacts/${id}`, undefined, admin)).status).toBe(200);
  });
});

describe('when a call holds numbers or nesting DynamoDB cannot hold', () => {
  it('answers 400 naming the field, for a single call and in a batch as "rejected"', async () => {
    const huge = await ingest(
      '{"type":"track","event":"Order Completed","userId":"u-1","messageId":"big-1","properties":{"order_id":"B-1","total":1e16,"products":[{"sku":"FILTER-6M","price":20}]}}',
    );
    expect(huge.status).toBe(400);
    expect(fieldsOf(huge.text)).toEqual({ 'properties.total': expect.stringContaining('2^53') });

    const deep = `{"type":"track","event":"Deep","userId":"u-1","messageId":"deep-1","properties":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expect((await ingest(deep)).status).toBe(400);

    const batch = await send(
      'POST',
      '/v1/batch',
      '{"batch":[{"type":"track","event":"Tiny","userId":"u-1","messageId":"tiny-1","properties":{"x":1e-200}},{"type":"identify","userId":"u-1","messageId":"ok-1","traits":{"constructor":"kept"}}]}',
      { authorization: `Bearer ${key}` },
    );
    expect(batch.status).toBe(200);
    expect(JSON.parse(batch.text).results.map((result: { status: string }) => result.status)).toEqual([
      'rejected',
      'accepted',
    ]);
  });

  it('does not merge two people whose numeric user ids differ past 2^53', async () => {
    const identify = (userId: string, email: string) =>
      ingest(
        `{"type":"identify","userId":${userId},"messageId":"id-${userId}","traits":{"email":"${email}"}}`,
      );
    const first = await identify('98765432109876543', 'first@example.com');
    const second = await identify('98765432109876544', 'second@example.com');
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(fieldsOf(first.text)).toEqual({ userId: expect.stringContaining('as text') });
  });
});

describe('when a signup name carries control characters', () => {
  it('is refused with 400 naming the field, and nothing is stored or mailed', async () => {
    const response = await env.http.postJson('/v1/signup', {
      email: 'escapes@example.com',
      consent: true,
      name: '\u001b[31mAnn\u001b]0;title\u0007\r\nBcc: x',
    });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.text)).toEqual({ name: expect.stringContaining('control characters') });
    await env.stack.idle();
    expect(await env.mail.to('escapes@example.com')).toEqual([]);
  });
});

describe('when a published condition has a catastrophic regular expression', () => {
  it('evaluates it in linear time: a public signup cannot freeze the stack', async () => {
    const journey = {
      id: 'regex-trap',
      name: 'Regex trap',
      trigger: { event: 'signup_confirmed', condition: { 'contact.name': { $regex: '^(a+)+$' } } },
      start: 'done',
      nodes: [{ id: 'done', type: 'exit' }],
    };
    expect(
      (await send('PUT', '/admin/journeys/regex-trap/draft', JSON.stringify(journey), admin)).status,
    ).toBe(200);
    expect((await send('POST', '/admin/journeys/regex-trap/publish', undefined, admin)).status).toBe(200);

    await env.http.postJson('/v1/signup', {
      email: 'trap@example.com',
      consent: true,
      name: `${'a'.repeat(30)}!`,
    });
    await env.stack.idle();
    await confirmByEmail(env, 'trap@example.com');

    const health = await fetch(`${env.stack.apiUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    // The welcome journey still ran on the same event.
    expect((await env.mail.to('trap@example.com')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('when a journey waits longer than can be scheduled', () => {
  it('is refused by validate and by draft alike, naming the field, so it never reaches the welcome journey', async () => {
    const journey = JSON.stringify({
      id: 'forever',
      name: 'Forever',
      trigger: { event: 'signup_confirmed' },
      start: 'pause',
      nodes: [
        { id: 'pause', type: 'wait', duration: 'P999999999Y', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });

    const validated = await send('POST', '/admin/journeys/forever/validate', journey, admin);
    expect(JSON.parse(validated.text)).toMatchObject({
      valid: false,
      problems: [{ path: 'nodes.0.duration', message: 'must be at most P20Y' }],
    });
    const drafted = await send('PUT', '/admin/journeys/forever/draft', journey, admin);
    expect(drafted.status).toBe(400);
    expect(fieldsOf(drafted.text)).toEqual({ 'nodes.0.duration': 'must be at most P20Y' });
  });
});

describe('when a GET route is asked with HEAD', () => {
  it('answers like GET, without a body', async () => {
    const response = await fetch(`${env.stack.apiUrl}/health`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
