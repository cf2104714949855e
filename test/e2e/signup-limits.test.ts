import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage } from '../../lib/domain/audit-entry.js';
import { ConfirmationsAllowed } from '../../lib/domain/confirmation-limits.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The signup form's limits over HTTP on the local runtime, with a per-IP limit low
 * enough to reach: every request here comes from 127.0.0.1.
 */
let env: Awaited<ReturnType<typeof startStack>>;

const admin = { authorization: `Bearer ${adminToken}` };

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false, env: { SIGNUP_LIMIT_PER_IP: '3/PT10M' } });
});

afterAll(async () => {
  await env?.stack.stop();
});

describe('when one address posts the signup form more often than its limit', () => {
  it('takes the first ones, then answers 429 with Retry-After to a browser and to JSON alike', async () => {
    for (const n of [1, 2, 3]) {
      const taken = await env.http.postForm('/v1/signup', [
        ['email', `neighbour${n}@example.com`],
        ['consent', 'on'],
      ]);
      expect(taken.status).toBe(200);
    }

    const page = await env.http.postForm(
      '/v1/signup',
      [
        ['email', 'neighbour4@example.com'],
        ['consent', 'on'],
      ],
      { accept: 'text/html' },
    );
    const json = await env.http.postJson('/v1/signup', { email: 'neighbour5@example.com', consent: true });

    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('too many signups from this network');
    expect(json.status).toBe(429);
    expect(JSON.parse(json.text)).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await env.http.contact('neighbour4@example.com')).status).toBe(404);
  });
});

describe('when an admin lets the form ask an address again', () => {
  it('resets its count of unanswered confirmations and records who did it', async () => {
    const { body } = await env.http.contact('neighbour1@example.com');
    const id = body?.contact.id ?? '';

    const response = await fetch(`${env.stack.apiUrl}/admin/contacts/${id}/confirmations`, {
      method: 'POST',
      headers: admin,
    });
    const audit = await fetch(`${env.stack.apiUrl}/admin/audit`, { headers: admin });

    expect(response.status).toBe(200);
    expect(ConfirmationsAllowed.parse(await response.json())).toMatchObject({
      contactId: id,
      unansweredBefore: 1,
    });
    expect(AuditPage.parse(await audit.json()).entries[0]).toMatchObject({
      method: 'POST',
      route: '/admin/contacts/{id}/confirmations',
      target: { id },
    });
  });
});
