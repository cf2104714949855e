import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, linkTo } from './support/mailbox.js';
import { partnerOrigin, startStack } from './support/stack.js';

let env: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  env = await startStack();
});
afterAll(async () => {
  await env?.stack.stop();
});

const settle = () => env.stack.idle();
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

describe('a newcomer opening the local stack', () => {
  it('is healthy', async () => {
    const response = await env.http.get('/health');
    expect(response.status).toBe(200);
  });

  it('serves an example signup page that posts a plain form to /v1/signup', async () => {
    const response = await env.http.get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toMatch(/<form[^>]+method="post"[^>]+action="[^"]*\/v1\/signup"/);
    expect(response.text).toContain('name="website"');
    expect(response.text).toContain('name="consent"');
  });
});

describe('signing up, confirming, and leaving', () => {
  const email = 'ann@example.com';

  it('accepts a form post and answers with the check-your-inbox page', async () => {
    const response = await env.http.postForm(
      '/v1/signup',
      [
        ['email', email],
        ['name', 'Ann'],
        ['topics', 'newsletter'],
        ['topics', 'product-updates'],
        ['consent', 'on'],
        ['form', 'footer'],
        ['utm_source', 'spring-fair'],
      ],
      { 'user-agent': 'e2e-browser/1.0', referer: 'https://shop.example.com/join' },
    );
    expect(response.status).toBe(200);
    expect(response.text.toLowerCase()).toContain('inbox');
    await settle();
  });

  it('stores a pending contact with a complete consent record', async () => {
    const { status, body } = await env.http.contact(email);
    expect(status).toBe(200);
    expect(body?.contact.consent.email.status).toBe('pending');
    expect(body?.contact.topics).toEqual([]);
    expect(body?.contact.pendingTopics).toEqual(['newsletter', 'product-updates']);
    expect(body?.consentLog).toEqual([
      expect.objectContaining({
        action: 'requested',
        topics: ['newsletter', 'product-updates'],
        wordingVersion: expect.any(String),
        utm: { source: 'spring-fair' },
        source: expect.objectContaining({
          kind: 'signup-form',
          form: 'footer',
          userAgent: 'e2e-browser/1.0',
          ip: expect.any(String),
        }),
      }),
    ]);
  });

  it('sends a confirmation email and no marketing email', async () => {
    const inbox = await env.mail.to(email);
    expect(inbox).toHaveLength(1);
    const [confirmation] = inbox;
    expect(confirmation?.subject.toLowerCase()).toContain('confirm');
    expect(confirmation && linkTo(confirmation, '/v1/confirm')).toContain('/v1/confirm?token=');
    expect(confirmation && header(confirmation, 'List-Unsubscribe')).toBeUndefined();
  });

  it('shows a confirm button on GET and confirms nothing', async () => {
    const [confirmation] = await env.mail.to(email);
    const link = confirmation ? linkTo(confirmation, '/v1/confirm') : '';
    const page = await env.http.get(pathOf(link), { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form[^>]+method="post"/);
    await settle();
    expect((await env.http.contact(email)).body?.contact.consent.email.status).toBe('pending');
  });

  it('confirms on POST, then the welcome journey sends the welcome email', async () => {
    const [confirmation] = await env.mail.to(email);
    const token = tokenOf(confirmation ? linkTo(confirmation, '/v1/confirm') : '');
    const response = await env.http.postForm('/v1/confirm', [['token', token]], { accept: 'text/html' });
    expect(response.status).toBe(200);
    await settle();

    const { body } = await env.http.contact(email);
    expect(body?.contact.consent.email.status).toBe('subscribed');
    expect(body?.contact.topics).toEqual(['newsletter', 'product-updates']);
    expect(body?.enrollments).toEqual([expect.objectContaining({ journeyId: 'welcome' })]);
    expect(body?.consentLog.map((entry) => entry.action)).toEqual(['requested', 'confirmed']);

    const inbox = await env.mail.to(email);
    expect(inbox).toHaveLength(2);
  });

  it('makes the welcome email compliant: both unsubscribe headers, visible links, postal address', async () => {
    const welcome = (await env.mail.to(email))[1];
    if (welcome === undefined) throw new Error('no welcome email');
    const listUnsubscribe = header(welcome, 'List-Unsubscribe');
    expect(listUnsubscribe).toMatch(/^<https?:\/\/[^>]+\/v1\/unsubscribe\?token=[^>]+>$/);
    expect(header(welcome, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(welcome.body.html).toContain('/v1/unsubscribe?token=');
    expect(welcome.body.html).toContain('/v1/preferences?token=');
    expect(welcome.body.html).toContain('1 Example Street');
    expect(welcome.body.text).toContain('/v1/unsubscribe?token=');
    expect(welcome.body.text).toContain('1 Example Street');
  });

  it('does nothing when the confirmation is posted again', async () => {
    const [confirmation] = await env.mail.to(email);
    const token = tokenOf(confirmation ? linkTo(confirmation, '/v1/confirm') : '');
    const response = await env.http.postForm('/v1/confirm', [['token', token]], { accept: 'text/html' });
    expect(response.status).toBe(200);
    await settle();
    expect(await env.mail.to(email)).toHaveLength(2);
  });

  it('does not unsubscribe on GET (link scanners), only shows a button', async () => {
    const welcome = (await env.mail.to(email))[1];
    const url = welcome ? linkTo(welcome, '/v1/unsubscribe') : '';
    const page = await env.http.get(pathOf(url), { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form[^>]+method="post"/);
    expect((await env.http.contact(email)).body?.contact.consent.email.status).toBe('subscribed');
  });

  it('unsubscribes at once on the RFC 8058 one-click POST, and again safely', async () => {
    const welcome = (await env.mail.to(email))[1];
    if (welcome === undefined) throw new Error('no welcome email');
    // The header is `<url>`: a mail client posts to exactly that URL.
    const url = (header(welcome, 'List-Unsubscribe') ?? '').slice(1, -1);
    const first = await env.http.postForm(pathOf(url), [['List-Unsubscribe', 'One-Click']]);
    expect(first.status).toBe(200);
    const second = await env.http.postForm(pathOf(url), [['List-Unsubscribe', 'One-Click']]);
    expect(second.status).toBe(200);

    const { body } = await env.http.contact(email);
    expect(body?.contact.consent.email.status).toBe('unsubscribed');
    expect(body?.consentLog.map((entry) => entry.action)).toEqual(['requested', 'confirmed', 'unsubscribed']);
  });
});

describe('the public signup cannot be used to find out who is on the list', () => {
  const signup = (email: string) =>
    env.http.postJson(
      '/v1/signup',
      { email, consent: true, topics: ['newsletter'] },
      { origin: partnerOrigin },
    );

  it('answers byte for byte the same for a new, a pending, a subscribed and a suppressed address', async () => {
    const subscribed = 'sub@example.com';
    await signup(subscribed);
    await settle();
    const [confirmation] = await env.mail.to(subscribed);
    await env.http.postForm('/v1/confirm', [
      ['token', tokenOf(confirmation ? linkTo(confirmation, '/v1/confirm') : '')],
    ]);
    await settle();

    const responses = [
      await signup('brand-new@example.com'),
      await signup('brand-new@example.com'),
      await signup(subscribed),
    ];
    const shape = (r: (typeof responses)[number]) => ({
      status: r.status,
      body: r.text,
      headers: [...r.headers.entries()].filter(([name]) => !['date', 'x-request-id'].includes(name)),
    });
    expect(responses[0]?.status).toBe(202);
    expect(JSON.parse(responses[0]?.text ?? '')).toEqual({ status: 'pending' });
    for (const response of responses) expect(shape(response)).toEqual(shape(responses[0] ?? response));
  });

  it('silently drops a bot that filled the honeypot: same answer, nothing stored or sent', async () => {
    const bot = 'bot@example.com';
    const human = await env.http.postForm('/v1/signup', [
      ['email', 'human@example.com'],
      ['consent', 'yes'],
    ]);
    const robot = await env.http.postForm('/v1/signup', [
      ['email', bot],
      ['consent', 'yes'],
      ['website', 'http://spam.example'],
    ]);
    expect(robot.status).toBe(human.status);
    expect(robot.text).toBe(human.text);
    await settle();
    expect((await env.http.contact(bot)).status).toBe(404);
    expect(await env.mail.to(bot)).toHaveLength(0);
  });
});

describe('when the signup input is invalid', () => {
  it('answers 400 naming each bad field and stores nothing', async () => {
    const response = await env.http.postJson('/v1/signup', {
      email: 'nope@',
      consent: 'maybe',
      phone: '555',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({
      error: {
        code: 'invalid_request',
        message: expect.any(String),
        fields: { email: expect.any(String), consent: expect.any(String), phone: expect.any(String) },
      },
    });
    expect((await env.http.contact('nope@')).status).not.toBe(200);
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await fetch(`${env.stack.apiUrl}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { fields: { body: 'is not valid JSON' } } });
  });
});

describe('redirects and CORS', () => {
  it('redirects a form post to an allowed origin with 303', async () => {
    const response = await env.http.postForm('/v1/signup', [
      ['email', 'redirected@example.com'],
      ['consent', 'on'],
      ['redirect', `${partnerOrigin}/thanks`],
    ]);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${partnerOrigin}/thanks`);
  });

  it('refuses a redirect to any other origin', async () => {
    const response = await env.http.postJson('/v1/signup', {
      email: 'x@example.com',
      consent: true,
      redirect: 'https://evil.example/phish',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.fields.redirect).toBeDefined();
  });

  it('answers CORS for a configured origin only', async () => {
    const allowed = await env.http.options('/v1/signup', {
      origin: partnerOrigin,
      'access-control-request-method': 'POST',
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(partnerOrigin);
    const other = await env.http.options('/v1/signup', {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
