import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuditPage } from '../../lib/domain/audit-entry.js';
import { signUpAndConfirm } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The admin API over HTTP on the local stack, as the CLI uses it: templates and a
 * journey drafted, validated and published through it, then paused, resumed and
 * archived while contacts sign up. The journey only takes contacts who pick
 * "product-updates", so the shipped journeys' mail stays out of the way.
 */
let env: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  env = await startStack();
});
afterAll(async () => {
  await env?.stack.stop();
});

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/** One admin call: JSON in, status and parsed JSON out. */
const admin = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = JSON.parse(await response.text());
  return { status: response.status, json };
};

const fieldsOf = (json: unknown) => ErrorBody.parse(json).error.fields ?? {};

const journeyId = 'e2e-admin';
const templateId = 'e2e-admin-mail';

const mail = {
  id: templateId,
  kind: 'marketing',
  subject: 'Product news for {{ contact.email }}',
  text: 'Here is what is new.',
  mjml: '<mj-text>Here is what is new.</mj-text>',
};

const journey = {
  id: journeyId,
  name: 'Product news under test',
  trigger: { event: 'signup_confirmed', condition: { 'event.data.topics': 'product-updates' } },
  start: 'news',
  nodes: [{ id: 'news', type: 'send_email', template: templateId }],
};

const journeysOf = async (email: string) =>
  ((await env.http.contact(email)).body?.enrollments ?? []).map((enrollment) => enrollment.journeyId);

describe('without the admin token', () => {
  it('answers 401 on every admin route', async () => {
    for (const [method, path] of [
      ['GET', '/admin/journeys'],
      ['PUT', `/admin/journeys/${journeyId}/draft`],
      ['POST', `/admin/journeys/${journeyId}/publish`],
      ['POST', `/admin/templates/${templateId}/preview`],
    ] as const) {
      const response = await fetch(`${env.stack.apiUrl}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    const wrong = await fetch(`${env.stack.apiUrl}/admin/templates`, {
      headers: { authorization: 'Bearer not-the-admin-token-at-all' },
    });
    expect(wrong.status).toBe(401);
  });
});

describe('templates through the admin API', () => {
  it('refuses a draft with broken Liquid, naming the field', async () => {
    const response = await admin('PUT', `/admin/templates/${templateId}/draft`, {
      ...mail,
      mjml: '<mj-text>{% if contact.name %}Hello</mj-text>',
    });

    expect(response.status).toBe(400);
    expect(Object.keys(fieldsOf(response.json))).toEqual(['mjml']);
    expect((await admin('GET', `/admin/templates/${templateId}`)).status).toBe(404);
  });

  it('stores a draft, previews it with the compliance footer, and publishes it as version 1', async () => {
    expect((await admin('PUT', `/admin/templates/${templateId}/draft`, mail)).status).toBe(200);

    const preview = await admin('POST', `/admin/templates/${templateId}/preview`, {
      contact: { email: 'ada@example.com' },
    });
    expect(preview.status).toBe(200);
    const rendered = z
      .object({ subject: z.string(), text: z.string(), html: z.string() })
      .parse(preview.json);
    expect(rendered.subject).toBe('Product news for ada@example.com');
    expect(rendered.html).toContain('Unsubscribe');
    expect(rendered.html).toContain('/v1/unsubscribe?token=preview');
    expect(rendered.text).toContain('Here is what is new.');

    const published = await admin('POST', `/admin/templates/${templateId}/publish`);
    expect(published).toEqual({ status: 200, json: { templateId, version: 1 } });
    expect((await admin('GET', `/admin/templates/${templateId}/versions`)).json).toMatchObject({
      versions: [{ version: 1 }],
    });
    expect((await admin('GET', '/admin/templates')).json).toMatchObject({
      templates: expect.arrayContaining([expect.objectContaining({ templateId, latestVersion: 1 })]),
    });
  });
});

describe('a journey through the admin API', () => {
  it('refuses a draft that breaks the schema with the JSON path of the problem', async () => {
    const response = await admin('PUT', `/admin/journeys/${journeyId}/draft`, {
      ...journey,
      nodes: [{ id: 'news', type: 'send_email' }],
    });

    expect(response.status).toBe(400);
    expect(Object.keys(fieldsOf(response.json))).toEqual(['nodes.0.template']);
  });

  it('is a conflict to publish before there is a draft', async () => {
    const response = await admin('POST', `/admin/journeys/${journeyId}/publish`);

    expect(response.status).toBe(409);
    expect(ErrorBody.parse(response.json).error.code).toBe('conflict');
  });

  it('puts a draft, validates it, publishes it and lists the version', async () => {
    expect((await admin('PUT', `/admin/journeys/${journeyId}/draft`, journey)).status).toBe(200);
    expect(await admin('POST', `/admin/journeys/${journeyId}/validate`)).toEqual({
      status: 200,
      json: { valid: true, problems: [] },
    });
    const unknownTemplate = await admin('POST', `/admin/journeys/${journeyId}/validate`, {
      ...journey,
      nodes: [{ id: 'news', type: 'send_email', template: 'no-such-mail' }],
    });
    expect(unknownTemplate.json).toEqual({
      valid: false,
      problems: [{ path: 'nodes.0.template', message: 'unknown template "no-such-mail"' }],
    });

    const published = await admin('POST', `/admin/journeys/${journeyId}/publish`);

    expect(published).toMatchObject({ status: 200, json: { journeyId, version: 1, status: 'active' } });
    expect((await admin('GET', `/admin/journeys/${journeyId}/versions`)).json).toMatchObject({
      versions: [{ version: 1, name: 'Product news under test' }],
    });
    expect((await admin('GET', `/admin/journeys/${journeyId}`)).json).toMatchObject({
      status: 'active',
      latestVersion: 1,
      hasDraft: false,
      draft: null,
    });
  });

  it('lets no one in while paused, and lets them in again once resumed', async () => {
    expect((await admin('POST', `/admin/journeys/${journeyId}/pause`)).json).toEqual({
      journeyId,
      status: 'paused',
    });
    await signUpAndConfirm(env, 'while-paused@example.com', ['product-updates']);
    expect(await journeysOf('while-paused@example.com')).not.toContain(journeyId);

    expect((await admin('POST', `/admin/journeys/${journeyId}/resume`)).json).toEqual({
      journeyId,
      status: 'active',
    });
    await signUpAndConfirm(env, 'after-resume@example.com', ['product-updates']);
    expect(await journeysOf('after-resume@example.com')).toContain(journeyId);
    expect((await env.mail.to('after-resume@example.com')).map((m) => m.subject)).toContain(
      'Product news for after-resume@example.com',
    );
  });

  it('counts the entry in the day’s stats, by node', async () => {
    const today = new Date().toISOString().slice(0, 10);

    const response = await admin('GET', `/admin/journeys/${journeyId}/stats?from=${today}&to=${today}`);

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      days: [{ day: today, totals: { 'entered:treatment': 1 }, nodes: { news: { entered: 1 } } }],
    });
    expect(
      (await admin('GET', `/admin/journeys/${journeyId}/stats?from=2026-01-01&to=2026-06-01`)).status,
    ).toBe(400);
  });

  it('makes archiving final', async () => {
    expect((await admin('POST', `/admin/journeys/${journeyId}/archive`)).json).toEqual({
      journeyId,
      status: 'archived',
    });

    expect((await admin('POST', `/admin/journeys/${journeyId}/resume`)).status).toBe(409);
    expect((await admin('PUT', `/admin/journeys/${journeyId}/draft`, journey)).status).toBe(409);
    await signUpAndConfirm(env, 'after-archive@example.com', ['product-updates']);
    expect(await journeysOf('after-archive@example.com')).not.toContain(journeyId);
    expect((await admin('GET', '/admin/journeys')).json).toMatchObject({
      journeys: expect.arrayContaining([expect.objectContaining({ journeyId, status: 'archived' })]),
    });
  });
});

describe('simulating a journey through the API', () => {
  it('runs the published welcome journey on a virtual clock and returns its timeline', async () => {
    const { status, json } = await admin('POST', '/admin/journeys/welcome/simulate', {
      contact: { name: 'Ann', timeZone: 'Europe/Berlin' },
      from: '2026-11-23T10:00:00Z',
      to: '2026-12-23T10:00:00Z',
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      journeyId: 'welcome',
      source: 'version',
      timeline: [
        { kind: 'entered', at: '2026-11-23T10:00:00.000Z' },
        { kind: 'sent', channel: 'email', template: 'welcome' },
        { kind: 'exited' },
      ],
    });
  });

  it('names a bad field in the request', async () => {
    const { status, json } = await admin('POST', '/admin/journeys/welcome/simulate', { from: 'yesterday' });
    expect(status).toBe(400);
    expect(ErrorBody.parse(json).error.fields).toHaveProperty('from');
  });

  it('answers 404 for an unknown journey', async () => {
    expect((await admin('POST', '/admin/journeys/no-such-journey/simulate', {})).status).toBe(404);
  });
});

describe('pausing marketing email through the admin API', () => {
  it('refuses a pause without a cause, naming the field', async () => {
    const response = await admin('POST', '/admin/sending/pause', {});

    expect(response.status).toBe(400);
    expect(fieldsOf(response.json)).toEqual({ cause: expect.any(String) });
    expect((await admin('GET', '/admin/sending')).json).toMatchObject({ status: 'active' });
  });

  it('holds the welcome mail while the confirmation goes out, and logs the pause and the resume', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const heldBefore = await heldWelcomes(today);
    const paused = await admin('POST', '/admin/sending/pause', { cause: 'checking a complaint spike' });
    expect(paused).toMatchObject({
      status: 200,
      json: { status: 'paused', pause: { source: 'admin', cause: 'checking a complaint spike' } },
    });

    // The confirmation is transactional: it arrives, and confirming starts the welcome journey.
    const email = `paused-${Date.now()}@example.com`;
    await signUpAndConfirm(env, email, []);

    expect(await heldWelcomes(today)).toBe(heldBefore + 1);
    expect((await env.mail.to(email)).map((message) => message.subject)).toHaveLength(1);

    const resumed = await admin('POST', '/admin/sending/resume', {});
    expect(resumed).toMatchObject({
      status: 200,
      json: { status: 'active', lastPause: { cause: 'checking a complaint spike' } },
    });
    const audit = AuditPage.parse((await admin('GET', '/admin/audit')).json);
    expect(
      audit.entries.filter((entry) => entry.route.startsWith('/admin/sending')).map((entry) => entry.route),
    ).toEqual(['/admin/sending/resume', '/admin/sending/pause']);
  });
});

/** Welcome emails held back today because marketing email was paused. */
const heldWelcomes = async (today: string): Promise<number> => {
  const stats = await admin('GET', `/admin/journeys/welcome/stats?from=${today}&to=${today}`);
  const days = z
    .object({ days: z.array(z.object({ totals: z.record(z.string(), z.number()) })) })
    .parse(stats.json).days;
  return days.reduce((sum, day) => sum + (day.totals['deferred:marketing-paused'] ?? 0), 0);
};
