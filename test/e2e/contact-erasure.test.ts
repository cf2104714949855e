import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * A person's data through the admin API on the local stack: signed up and
 * confirmed, read by id, exported, erased (twice), and then signing up again
 * from the same address, which must send nothing and answer as any signup does.
 */
let env: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  env = await startStack();
});
afterAll(async () => {
  await env?.stack.stop();
});

const asAdmin = { authorization: `Bearer ${adminToken}` };

const admin = async (method: 'GET' | 'DELETE', path: string, headers: Record<string, string> = asAdmin) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, { method, headers });
  return { status: response.status, text: await response.text() };
};

const Export = z.object({
  contactId: z.string(),
  profile: z.object({ email: z.string() }),
  identities: z.object({ email: z.object({ value: z.string(), pointsHere: z.boolean() }) }),
  suppression: z.object({ email: z.object({ suppressed: z.boolean() }) }),
  consentLog: z.array(z.object({ action: z.string() })),
  events: z.array(z.object({ type: z.string() })),
  enrollments: z.array(z.object({ journeyId: z.string() })),
  messages: z.array(z.object({ key: z.string(), status: z.string() })),
  outboundEvents: z.array(z.unknown()),
  orders: z.array(z.unknown()),
  other: z.array(z.unknown()),
});

const Erasure = z.object({
  contactId: z.string(),
  status: z.literal('erased'),
  removed: z.record(z.string(), z.number()),
  suppressedByHash: z.array(z.string()),
});

describe('a person who asks what is held about them, and then to be forgotten', () => {
  const email = 'forget-me@example.com';
  const signup = { email, name: 'Fern', consent: true, topics: ['newsletter'] };
  let contactId = '';
  let firstAnswer = { status: 0, text: '' };

  it('signs up and confirms', async () => {
    const answer = await env.http.postJson('/v1/signup', signup);
    firstAnswer = { status: answer.status, text: answer.text };
    expect(answer.status).toBe(202);
    await env.stack.idle();
    await confirmByEmail(env, email);

    const { status, body } = await env.http.contact(email);
    expect(status).toBe(200);
    contactId = body?.contact.id ?? '';
    expect(body?.contact.consent.email.status).toBe('subscribed');
  });

  it('is found by id with the same record as by email', async () => {
    const byId = await admin('GET', `/admin/contacts/${contactId}`);
    const byEmail = await admin('GET', `/admin/contacts?email=${encodeURIComponent(email)}`);

    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.text)).toEqual(JSON.parse(byEmail.text));
  });

  it('exports everything held about the person', async () => {
    const response = await admin('GET', `/admin/contacts/${contactId}/export`);

    expect(response.status).toBe(200);
    const exported = Export.parse(JSON.parse(response.text));
    expect(exported.profile.email).toBe(email);
    expect(exported.identities.email).toEqual({ value: email, pointsHere: true });
    expect(exported.suppression.email.suppressed).toBe(false);
    expect(exported.consentLog.map((entry) => entry.action)).toEqual(['requested', 'confirmed']);
    expect(exported.events.map((event) => event.type)).toContain('signup_confirmed');
    expect(exported.messages).toContainEqual(expect.objectContaining({ status: 'sent' }));
    expect(exported.enrollments.length).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK)":/);
  });

  it('is erased, and a repeated erasure answers the same', async () => {
    const first = await admin('DELETE', `/admin/contacts/${contactId}`);
    await env.stack.idle();
    const second = await admin('DELETE', `/admin/contacts/${contactId}`);

    expect(first.status).toBe(200);
    const erasure = Erasure.parse(JSON.parse(first.text));
    expect(erasure.contactId).toBe(contactId);
    expect(erasure.removed).toMatchObject({ profile: 1, consentLog: 2, identities: 1 });
    expect(erasure.suppressedByHash).toEqual(['email']);
    expect(first.text).not.toContain(email);
    expect(second).toEqual(first);
  });

  it('is no longer found by id, by email, or in an export', async () => {
    expect((await admin('GET', `/admin/contacts/${contactId}`)).status).toBe(404);
    expect((await admin('GET', `/admin/contacts/${contactId}/export`)).status).toBe(404);
    expect((await env.http.contact(email)).status).toBe(404);
  });

  it('signing up again from the address answers as before and sends nothing', async () => {
    const mailBefore = (await env.mail.to(email)).length;

    const again = await env.http.postJson('/v1/signup', signup);
    await env.stack.idle();

    expect({ status: again.status, text: again.text }).toEqual(firstAnswer);
    expect(await env.mail.to(email)).toHaveLength(mailBefore);
    expect((await env.http.contact(email)).status).toBe(404);
  });
});

describe('erasing', () => {
  it('answers 404 for an id that was never a contact', async () => {
    const response = await admin('DELETE', '/admin/contacts/01JNOSUCHCONTACT0000000000');
    expect(response.status).toBe(404);
  });

  it('needs the admin token', async () => {
    const response = await admin('DELETE', '/admin/contacts/01JNOSUCHCONTACT0000000000', {});
    expect(response.status).toBe(401);
  });
});
