import { readFile } from 'node:fs/promises';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenKeys } from '../../lib/config/runtime-env.js';
import { issueToken } from '../../lib/domain/tokens.js';
import { header, linkTo } from './support/mailbox.js';
import { insertedRecords, redeliver } from './support/replay.js';
import { signUpAndConfirm } from './support/signup.js';
import { startStack } from './support/stack.js';
import { connectToTable } from './support/table.js';

let env: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  env = await startStack();
});
afterAll(async () => {
  await env?.stack.stop();
});

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

/** Signs up and confirms through the public API, as a person would, and returns the welcome email. */
const subscribe = async (email: string, topics: string[] = ['newsletter']) => {
  await signUpAndConfirm(env, email, topics);
  const welcome = (await env.mail.to(email))[1];
  if (welcome === undefined) throw new Error(`no welcome email for ${email}`);
  const contact = (await env.http.contact(email)).body?.contact;
  if (contact === undefined) throw new Error(`no contact ${email}`);
  return { welcome, contact };
};

describe('when a link has been tampered with or has expired', () => {
  it('shows a clear page with 400 for a tampered token, never a 500', async () => {
    const { welcome } = await subscribe('tamper@example.com');
    const token = tokenOf(linkTo(welcome, '/v1/unsubscribe'));
    const tampered = `${token.slice(0, -3)}${token.endsWith('xyz') ? 'abc' : 'xyz'}`;
    for (const path of ['/v1/unsubscribe', '/v1/preferences', '/v1/confirm']) {
      const response = await env.http.get(`${path}?token=${encodeURIComponent(tampered)}`, {
        accept: 'text/html',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.text.toLowerCase()).toContain('not valid');
    }
    const post = await env.http.postForm(`/v1/unsubscribe?token=${encodeURIComponent(tampered)}`, [
      ['List-Unsubscribe', 'One-Click'],
    ]);
    expect(post.status).toBe(400);
    expect((await env.http.contact('tamper@example.com')).body?.contact.consent.email.status).toBe(
      'subscribed',
    );
  });

  it('answers 410 for an expired token', async () => {
    const { contact } = await subscribe('expired@example.com');
    const keys = TokenKeys.parse(JSON.parse(env.stack.environment.TOKEN_KEYS ?? '{}'));
    const expired = issueToken(keys, {
      purpose: 'unsubscribe',
      contactId: contact.id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const response = await env.http.get(`/v1/unsubscribe?token=${encodeURIComponent(expired)}`, {
      accept: 'text/html',
    });
    expect(response.status).toBe(410);
    expect(response.text.toLowerCase()).toContain('expired');
  });

  it('answers a missing token with 400 naming the field', async () => {
    const response = await env.http.postJson('/v1/unsubscribe', {});
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { fields: { token: 'is required' } } });
  });
});

describe('the preference center', () => {
  it('changes topics, then leaves altogether, each written to the consent log', async () => {
    const { welcome } = await subscribe('prefs@example.com', ['newsletter']);
    const url = new URL(linkTo(welcome, '/v1/preferences'));
    const page = await env.http.get(`${url.pathname}${url.search}`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="topics"');

    const token = tokenOf(url.href);
    const saved = await env.http.postForm('/v1/preferences', [
      ['token', token],
      ['action', 'save'],
      ['topics', 'product-updates'],
      ['topics', 'recommendations'],
    ]);
    expect(saved.status).toBe(200);
    expect((await env.http.contact('prefs@example.com')).body?.contact.topics).toEqual([
      'product-updates',
      'recommendations',
    ]);

    const left = await env.http.postForm('/v1/preferences', [
      ['token', token],
      ['action', 'unsubscribe-all'],
    ]);
    expect(left.status).toBe(200);
    const { body } = await env.http.contact('prefs@example.com');
    expect(body?.contact.consent.email.status).toBe('unsubscribed');
    expect(body?.consentLog.map((entry) => entry.action)).toEqual([
      'requested',
      'confirmed',
      'topics-changed',
      'unsubscribed',
    ]);
  });

  describe('when an old preferences link is used after a one-click unsubscribe', () => {
    it('sends a fresh confirmation instead of subscribing, and subscribes only once it is confirmed', async () => {
      const email = 'prefs-back@example.com';
      const { welcome } = await subscribe(email, ['newsletter']);
      const out = await env.http.postForm(
        `/v1/unsubscribe?token=${tokenOf(linkTo(welcome, '/v1/unsubscribe'))}`,
        [['List-Unsubscribe', 'One-Click']],
      );
      expect(out.status).toBe(200);
      const mailsBefore = (await env.mail.to(email)).length;

      const back = await env.http.postForm('/v1/preferences', [
        ['token', tokenOf(linkTo(welcome, '/v1/preferences'))],
        ['action', 'save'],
        ['topics', 'newsletter'],
      ]);
      await env.stack.idle();

      expect(back.status).toBe(200);
      expect(back.text).toContain('We sent an email to');
      const pending = (await env.http.contact(email)).body;
      expect(pending?.contact.consent.email.status).toBe('pending');
      const mails = await env.mail.to(email);
      expect(mails).toHaveLength(mailsBefore + 1);
      const confirmation = mails.at(-1);
      if (confirmation === undefined) throw new Error('no confirmation');
      await env.http.postForm('/v1/confirm', [['token', tokenOf(linkTo(confirmation, '/v1/confirm'))]]);
      await env.stack.idle();

      const confirmed = (await env.http.contact(email)).body;
      expect(confirmed?.contact.consent.email.status).toBe('subscribed');
      expect(confirmed?.contact.topics).toEqual(['newsletter']);
      expect(confirmed?.consentLog.map((entry) => entry.action)).toEqual([
        'requested',
        'confirmed',
        'unsubscribed',
        'requested',
        'confirmed',
      ]);
    });
  });

  it('refuses an unknown topic with 400 naming the field', async () => {
    const { welcome } = await subscribe('prefs-bad@example.com');
    const response = await env.http.postJson('/v1/preferences', {
      token: tokenOf(linkTo(welcome, '/v1/preferences')),
      action: 'save',
      topics: ['sports'],
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.fields.topics).toContain('sports');
  });
});

describe('when the contact unsubscribed before a queued message was sent', () => {
  it('skips the message at send time: nothing reaches the address', async () => {
    const email = 'late@example.com';
    const { welcome, contact } = await subscribe(email);
    await env.http.postForm(
      `/v1/unsubscribe?token=${encodeURIComponent(tokenOf(linkTo(welcome, '/v1/unsubscribe')))}`,
      [['List-Unsubscribe', 'One-Click']],
    );
    const { client } = connectToTable(env.stack);
    // A marketing message queued earlier by a journey, reaching the outbox after the unsubscribe.
    await client.send(
      new PutItemCommand({
        TableName: env.stack.tableName,
        Item: {
          PK: { S: `C#${contact.id}` },
          SK: { S: 'MSG#welcome#late#send-welcome#1' },
          type: { S: 'message' },
          contactId: { S: contact.id },
          key: { S: 'welcome#late#send-welcome#1' },
          channel: { S: 'email' },
          kind: { S: 'marketing' },
          templateId: { S: 'welcome' },
          journeyId: { S: 'welcome' },
          status: { S: 'queued' },
          createdAt: { S: new Date().toISOString() },
          attempts: { N: '0' },
        },
      }),
    );
    await env.stack.idle();
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: env.stack.tableName,
        Key: { PK: { S: `C#${contact.id}` }, SK: { S: 'MSG#welcome#late#send-welcome#1' } },
        ConsistentRead: true,
      }),
    );
    client.destroy();
    expect(Item?.status?.S).toBe('skipped');
    expect(Item?.skipReason?.S).toBe('not-subscribed');
    expect(await env.mail.to(email)).toHaveLength(2);
  });
});

describe('when SES reports a bounce', () => {
  it('suppresses the address, and a later signup for it sends nothing', async () => {
    const email = 'bounce@example.com';
    const fixture = JSON.parse(await readFile('test/fixtures/ses/bounce-permanent.json', 'utf8'));
    const notification = {
      ...fixture,
      bounce: { ...fixture.bounce, bouncedRecipients: [{ emailAddress: email }] },
      mail: { ...fixture.mail, destination: [email] },
    };
    const published = await fetch(`${env.stack.apiUrl}/local/topics/ses-feedback`, {
      method: 'POST',
      body: JSON.stringify(notification),
    });
    expect(published.status).toBe(202);
    await env.stack.idle();

    const response = await env.http.postJson('/v1/signup', { email, consent: true });
    expect(response.status).toBe(202);
    await env.stack.idle();
    expect(await env.mail.to(email)).toHaveLength(0);
  });
});

describe('when the stream redelivers records', () => {
  it('makes one enrollment and one email from the same event delivered twice', async () => {
    const email = 'replay@example.com';
    const { contact } = await subscribe(email);
    const events = (await insertedRecords(env.stack, 'EV#')).filter((r) =>
      (r.dynamodb?.Keys?.PK?.S ?? '').endsWith(contact.id),
    );
    expect(events).toHaveLength(1);

    await redeliver(env.stack, 'journeys', events);
    await redeliver(env.stack, 'journeys', events);
    await env.stack.idle();

    const { body } = await env.http.contact(email);
    expect(body?.enrollments).toHaveLength(1);
    expect(await env.mail.to(email)).toHaveLength(2);
  });

  it('makes one SES call from the same message record delivered twice', async () => {
    const email = 'replay-send@example.com';
    const { contact } = await subscribe(email);
    const messages = (await insertedRecords(env.stack, 'MSG#')).filter((r) =>
      (r.dynamodb?.Keys?.PK?.S ?? '').endsWith(contact.id),
    );
    expect(messages).toHaveLength(2);
    const sentBefore = (await env.mail.all()).length;

    const result = await redeliver(env.stack, 'deliver', messages);
    expect(result).toEqual({ batchItemFailures: [] });
    await redeliver(env.stack, 'deliver', messages);
    expect((await env.mail.all()).length).toBe(sentBefore);
    expect(await env.mail.to(email)).toHaveLength(2);
  });
});

describe('operators looking a contact up', () => {
  it('needs the admin token', async () => {
    const response = await env.http.get('/admin/contacts?email=someone@example.com');
    expect(response.status).toBe(401);
  });

  it('answers 404 for an unknown address', async () => {
    expect((await env.http.contact('nobody@example.com')).status).toBe(404);
  });

  it('shows the consent state per channel and topic and the consent log', async () => {
    const { welcome } = await subscribe('lookup@example.com', ['newsletter', 'recommendations']);
    expect(header(welcome, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const { status, body } = await env.http.contact('LookUp@Example.com');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      contact: { consent: { email: { status: 'subscribed' } }, topics: ['newsletter', 'recommendations'] },
      suppressed: false,
    });
    expect(body?.consentLog).toHaveLength(2);
  });
});

describe('when a body cannot be read', () => {
  it('answers 400 naming the body for a malformed multipart signup', async () => {
    const response = await fetch(`${env.stack.apiUrl}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'garbage',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { fields: { body: 'is not a valid form' } } });
  });

  it('still unsubscribes on a one-click POST whose body is unreadable, since the token is in the URL', async () => {
    const { welcome } = await subscribe('odd-client@example.com');
    const url = new URL(linkTo(welcome, '/v1/unsubscribe'));
    for (const contentType of ['multipart/form-data', 'text/plain']) {
      const response = await fetch(`${env.stack.apiUrl}${url.pathname}${url.search}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    }
    expect((await env.http.contact('odd-client@example.com')).body?.contact.consent.email.status).toBe(
      'unsubscribed',
    );
  });
});

describe('when a bot fills the honeypot and nothing else correctly', () => {
  it('gets the same answer as a person, not a validation error', async () => {
    const person = await env.http.postJson('/v1/signup', { email: 'person@example.com', consent: true });
    const bot = await env.http.postJson('/v1/signup', {
      email: 'not-an-address',
      website: 'http://spam.example',
    });
    expect(bot.status).toBe(person.status);
    expect(bot.text).toBe(person.text);
  });
});
