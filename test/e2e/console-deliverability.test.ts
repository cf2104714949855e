import { readFile } from 'node:fs/promises';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { SendingState } from '../../lib/domain/sending-state.js';
import { checkPage, launchChromium, seriousViolations } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The deliverability page in real Chromium against the local stack: SES's
 * events on the welcome journey's mail reach the feedback function through the
 * local topic, and the page shows their rates; an admin's pause puts a banner on
 * the overview and on the page, and the page's resume ends it.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let page: Page;
const cspReports: string[] = [];
const today = new Date().toISOString().slice(0, 10);
const viewerToken = 'e2e-deliverability-viewer-token-01';
const cause = 'A list bought by mistake was imported; checking it before more mail goes out.';

/** An SES event on the welcome journey's mail, through the topic SES publishes to. */
const publishSesEvent = async (fixture: string, recipient: string) => {
  const event = JSON.parse(await readFile(`test/fixtures/ses/${fixture}.json`, 'utf8'));
  const notification = {
    ...event,
    ...(event.bounce === undefined
      ? {}
      : { bounce: { ...event.bounce, bouncedRecipients: [{ emailAddress: recipient }] } }),
    ...(event.complaint === undefined
      ? {}
      : { complaint: { ...event.complaint, complainedRecipients: [{ emailAddress: recipient }] } }),
    mail: {
      ...event.mail,
      destination: [recipient],
      tags: { ...event.mail.tags, 'rapport-journey': ['welcome'] },
    },
  };
  const published = await fetch(`${env.stack.apiUrl}/local/topics/ses-feedback`, {
    method: 'POST',
    body: JSON.stringify(notification),
  });
  expect(published.status).toBe(202);
};

const call = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await response.json();
  return { status: response.status, json };
};

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack({ env: { RAPPORT_VIEWER_TOKEN: viewerToken } });
  // Four sends, one bounce, one complaint: 25 % each, over far too few sends to pause anything.
  for (const [index, recipient] of ['a', 'b', 'c', 'd'].entries())
    await publishSesEvent('send', `reader-${recipient}-${index}@example.com`);
  await publishSesEvent('bounce-permanent', 'reader-a-0@example.com');
  await publishSesEvent('complaint', 'reader-b-1@example.com');
  await env.stack.idle();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message: ConsoleMessage) => {
    if (message.text().includes('Content Security Policy')) cspReports.push(message.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await env?.stack.stop();
});

const heading = (name: string) => page.getByRole('heading', { level: 1, name });
const banner = () => page.locator('section.sending-paused');

const signIn = async (token: string) => {
  await page.goto(env.stack.consoleUrl);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Overview').waitFor();
};

const openDeliverability = async () => {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Deliverability' })
    .click();
  await heading('Deliverability').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Journeys' }).waitFor();
};

describe('the deliverability page', () => {
  it('is in the navigation, and says marketing email goes out', async () => {
    await signIn(adminToken);
    await openDeliverability();
    expect(new URL(page.url()).pathname).toBe('/console/deliverability');
    await page.getByText('Marketing email goes out.').waitFor();
    expect(await banner().count()).toBe(0);
  });

  it('charts both rates against their thresholds, and shows today’s in the numbers', async () => {
    expect(await page.locator('.overview-chart .recharts-wrapper').count()).toBe(2);
    expect(await page.locator('.recharts-reference-line').count()).toBe(4);
    await page.getByText('Show the numbers').click();
    const todays = page
      .getByRole('table', { name: 'Rates per day (UTC), all mail' })
      .getByRole('row', { name: new RegExp(`^${today}`) });
    expect(await todays.locator('td[data-figure="bounceRate"]').textContent()).toBe('25.0 %');
    expect(await todays.locator('td[data-figure="complaintRate"]').textContent()).toBe('25.0 %');
  });

  it('lists the journey whose mail hurt, its rates, and that they rest on few sends', async () => {
    const welcome = page.locator('tr[data-id="welcome"]');
    expect(await welcome.locator('td[data-figure="bounceRate"]').textContent()).toBe('25.0 %');
    expect(await welcome.locator('td[data-figure="complaintRate"]').textContent()).toBe('25.0 %');
    expect(await welcome.locator('.level').textContent()).toBe('critical (few sends)');
    expect(await welcome.getAttribute('class')).toBe('row-critical');
    await page.getByText('No campaign’s mail had an SES event in this period.').waitFor();
  });

  it('passes axe at 1280 and 390 px with the numbers open, and the CSP refuses nothing', async () => {
    await checkPage(page, 'deliverability');
    expect(cspReports).toEqual([]);
  });

  it('refuses a period longer than 90 days, naming days', async () => {
    const answer = await call(adminToken, 'GET', '/admin/deliverability?days=91');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toContain('"days"');
  });
});

describe('when an admin pauses marketing email', () => {
  beforeAll(async () => {
    const paused = await call(adminToken, 'POST', '/admin/sending/pause', { cause });
    expect(SendingState.parse(paused.json).status).toBe('paused');
  });

  it('warns on the overview, with the cause and a link to the deliverability page', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
    await heading('Overview').waitFor();
    await banner().getByRole('heading', { name: 'Marketing email is paused' }).waitFor();
    await banner().getByText(cause).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Audience' }).waitFor();
    await checkPage(page, 'overview-paused');
    await banner()
      .getByRole('link', { name: /Deliverability page/ })
      .click();
    await heading('Deliverability').waitFor();
  });

  it('shows a viewer the banner but no resume', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(viewerToken);
    await page.getByText('Signed in as viewer').waitFor();
    await openDeliverability();
    await banner().getByText(cause).waitFor();
    expect(await page.getByRole('button', { name: 'Resume marketing email' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    const refused = await call(viewerToken, 'POST', '/admin/sending/resume', {});
    expect(refused.status).toBe(403);
  });

  it('lets an admin resume it, after a second step, and says when the last pause ended', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(adminToken);
    await openDeliverability();
    await banner().getByText('an admin').waitFor();
    await page.getByRole('button', { name: 'Resume marketing email' }).click();
    const confirm = page.getByRole('button', { name: 'Yes, resume marketing email' });
    await confirm.waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Yes, resume marketing email');
    await checkPage(page, 'deliverability-paused');

    // Changing one's mind leaves it paused.
    await page.getByRole('button', { name: 'Keep it paused' }).click();
    expect(SendingState.parse((await call(adminToken, 'GET', '/admin/sending')).json).status).toBe('paused');

    await page.getByRole('button', { name: 'Resume marketing email' }).click();
    await confirm.click();
    await page.getByText('Marketing email goes out.').waitFor();
    expect(await banner().count()).toBe(0);
    await page.getByText(/Last paused .* by an admin/).waitFor();
    const state = SendingState.parse((await call(adminToken, 'GET', '/admin/sending')).json);
    expect(state).toMatchObject({ status: 'active', lastPause: { cause } });
  });
});
