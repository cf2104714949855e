import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations } from './support/browser.js';
import { startStack } from './support/stack.js';

/**
 * List hygiene at the signup form, on the local stack: role addresses and (in a
 * deployment that refuses them) throwaway domains answer 400 and store nothing,
 * and the example page, in real Chromium, offers to fix a mistyped domain before
 * it posts.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let page: Page;
const blocked: string[] = [];

beforeAll(async () => {
  env = await startStack({
    env: { REFUSE_DISPOSABLE_EMAIL: 'true', DISPOSABLE_EMAIL_DOMAINS: 'throwaway.example' },
  });
  browser = await launchChromium();
  page = await browser.newPage();
  // A script the page's policy refused would leave the form without its offer, silently.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await env?.stack.stop();
});

const refusal = async (email: string) => {
  const response = await env.http.postJson('/v1/signup', { email, consent: true, topics: ['newsletter'] });
  await env.stack.idle();
  return { status: response.status, body: JSON.parse(response.text) };
};

describe('a signup from an address no person reads, or one thrown away', () => {
  it.each([
    [
      'a role address',
      'postmaster@shop.example',
      'is a role address (postmaster@); sign up with a personal address',
    ],
    [
      'a no-reply address',
      'No-Reply+x@shop.example',
      'is a role address (no-reply@); sign up with a personal address',
    ],
    [
      'the shipped list',
      'ann@mailinator.com',
      'uses a disposable-mail domain (mailinator.com); sign up with an address you keep',
    ],
    [
      'a subdomain of the deployment’s own list',
      'ann@mx.throwaway.example',
      'uses a disposable-mail domain (throwaway.example); sign up with an address you keep',
    ],
  ])(
    'is refused for %s with a 400 naming email, and nothing is stored or sent',
    async (_case, email, problem) => {
      const { status, body } = await refusal(email);

      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code: 'invalid_request', fields: { email: problem } } });
      expect((await env.http.contact(email.toLowerCase())).status).toBe(404);
      expect(await env.mail.to(email.toLowerCase())).toEqual([]);
    },
  );
});

describe('the example page and a mistyped domain', () => {
  const signUpAs = async (email: string) => {
    await page.goto(`${env.stack.apiUrl}/`);
    await page.getByLabel('Email address').fill(email);
    await page.locator('#consent').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
  };

  it('offers the fix before it posts, and posts the fixed address', async () => {
    await signUpAs('alice@gmial.com');

    const offer = page.locator('#email-suggestion');
    await offer.getByText('Did you mean alice@gmail.com?').waitFor();
    expect(await offer.getAttribute('aria-live')).toBe('polite');
    expect(await seriousViolations(page)).toEqual([]);

    await offer.getByRole('button', { name: 'Use alice@gmail.com' }).click();
    expect(await page.getByLabel('Email address').inputValue()).toBe('alice@gmail.com');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await env.stack.idle();

    expect((await env.http.contact('alice@gmail.com')).status).toBe(200);
    expect((await env.http.contact('alice@gmial.com')).status).toBe(404);
  });

  it('posts the address as typed when the visitor signs up again without the fix', async () => {
    await signUpAs('bob@yaho.com');
    await page.locator('#email-suggestion').getByText('Did you mean bob@yahoo.com?').waitFor();

    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await env.stack.idle();

    expect((await env.http.contact('bob@yaho.com')).status).toBe(200);
  });

  it('posts a correct address at the first press', async () => {
    await signUpAs('carol@example.com');
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    expect(blocked).toEqual([]);
  });
});
