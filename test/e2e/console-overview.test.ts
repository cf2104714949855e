import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { checkPage, launchChromium } from './support/browser.js';
import { signUpAndConfirm } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The overview in real Chromium against the local stack: a contact signs up
 * and confirms through the public API, and the console's first page shows it.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let page: Page;
const cspReports: string[] = [];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack();
  await signUpAndConfirm(env, 'overview-reader@example.com', ['newsletter']);
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

/** The figure in today's row of a panel's numbers, once its disclosure is open. */
const todays = async (panel: string, figure: string): Promise<number> => {
  const table = page.getByRole('table', { name: `${panel} per day (UTC)` });
  const cell = table
    .getByRole('row', { name: new RegExp(`^${today}`) })
    .locator(`td[data-figure="${figure}"]`);
  return Number((await cell.textContent())?.replaceAll(',', ''));
};

describe('the console overview', () => {
  it('is the first page after signing in, and the first link in the navigation', async () => {
    await page.goto(env.stack.consoleUrl);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Overview').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    const sections = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
    expect(await sections.first().textContent()).toBe('Overview');
  });

  it('charts the three groups, and shows today’s signup and confirmation in the numbers', async () => {
    await page.getByRole('heading', { level: 2, name: 'Audience' }).waitFor();
    expect(await page.locator('.overview-chart .recharts-wrapper').count()).toBe(3);
    const audience = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Audience' }),
    });
    await audience.getByText('Show the numbers').click();
    expect(await todays('Audience', 'signups')).toBeGreaterThanOrEqual(1);
    expect(await todays('Audience', 'confirmations')).toBeGreaterThanOrEqual(1);
    const email = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Email' }) });
    await email.getByText('Show the numbers').click();
    // The confirmation and the welcome journey's email, at least.
    expect(await todays('Email', 'sends')).toBeGreaterThanOrEqual(2);
  });

  it('links the journey that sent the welcome email to its page', async () => {
    const busiest = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Busiest journeys' }),
    });
    await busiest.locator('a[href="/console/journeys/welcome"]').click();
    await page.waitForURL('**/console/journeys/welcome');
    await page.getByRole('link', { name: 'Overview' }).click();
    await heading('Overview').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Busiest campaigns' }).waitFor();
  });

  it('passes axe at 1280 and 390 px with a numbers table open, and the CSP refuses nothing', async () => {
    const audience = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Audience' }),
    });
    await audience.getByText('Show the numbers').click();
    await page.getByRole('table', { name: 'Audience per day (UTC)' }).waitFor();
    await checkPage(page, 'overview');
    expect(cspReports).toEqual([]);
  });

  it('refuses a period longer than a quarter, naming days', async () => {
    const answer = await fetch(`${env.stack.apiUrl}/admin/overview?days=93`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('"days"');
  });
});
