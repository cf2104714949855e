import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

let env: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  env = await startStack({
    env: { TOPICS: 'newsletter=The Quay Letter,product-updates=New on the shelves,recommendations' },
  });
});
afterAll(async () => {
  await env?.stack.stop();
});

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const scriptSrcOf = (policy: string) => /script-src ([^;]*);/.exec(policy)?.[1];

/** The admin card as JSON, with the fields this file looks at. */
const cardOf = async (email: string) => {
  const response = await env.http.get(`/admin/contacts?email=${encodeURIComponent(email)}`, {
    authorization: `Bearer ${adminToken}`,
  });
  const card: {
    contact?: { timeZone?: string };
    consentLog?: Array<{ source: { timeZone?: string } }>;
  } = JSON.parse(response.text);
  return card;
};

describe('the example signup page', () => {
  it('shows the topics under the labels TOPICS gives them', async () => {
    const page = await env.http.get('/');
    expect(page.text).toContain('<span>The Quay Letter</span>');
    expect(page.text).toContain('<span>New on the shelves</span>');
    expect(page.text).toContain('<span>Recommendations</span>');
  });

  it('fills a hidden timezone field with a script that both of its policies let run, by hash', async () => {
    const page = await env.http.get('/');
    const scripts = [...page.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page.text)?.[1] ?? '';

    expect(page.text).toContain('<input type="hidden" name="timezone">');
    expect(scripts[0]).toContain('Intl.DateTimeFormat().resolvedOptions().timeZone');
    // The other is the offer to fix a mistyped email domain (test/e2e/signup-hygiene.test.ts).
    const hashes = scripts.map(sha256).join(' ');
    expect(scripts).toHaveLength(2);
    expect(scriptSrcOf(page.headers.get('content-security-policy') ?? '')).toBe(hashes);
    expect(scriptSrcOf(meta.replaceAll('&#39;', "'"))).toBe(hashes);
  });
});

describe('a signup from the page with the browser’s time zone', () => {
  const email = 'berlin@example.com';

  it('stores the zone on the contact and in the consent record', async () => {
    const response = await env.http.postForm('/v1/signup', [
      ['email', email],
      ['topics', 'newsletter'],
      ['consent', 'yes'],
      ['timezone', 'Europe/Berlin'],
    ]);
    expect(response.status).toBe(200);
    await env.stack.idle();

    const card = await cardOf(email);
    expect(card.contact?.timeZone).toBe('Europe/Berlin');
    expect(card.consentLog?.map((entry) => entry.source.timeZone)).toEqual(['Europe/Berlin']);
  });

  it('welcomes them with the topic under its label', async () => {
    await confirmByEmail(env, email);

    const welcome = (await env.mail.to(email))[1];
    expect(welcome?.body.text).toContain('- The Quay Letter');
    expect(welcome?.body.html).toContain('The Quay Letter');
  });

  it('refuses a zone that is none with a 400 naming timezone, and stores nothing', async () => {
    const response = await env.http.postJson('/v1/signup', {
      email: 'mars@example.com',
      consent: true,
      timezone: 'Mars/Olympus',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({
      error: { fields: { timezone: 'must be an IANA time zone such as Europe/Berlin' } },
    });
    const lookup = await env.http.get('/admin/contacts?email=mars%40example.com', {
      authorization: `Bearer ${adminToken}`,
    });
    expect(lookup.status).toBe(404);
  });
});
