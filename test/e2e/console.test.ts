import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import type { Contact } from '../../lib/domain/contact.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { launchChromium, screenshot, seriousViolations } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * The marketer console in real Chromium against the local stack as `npm start`
 * runs it: sign in, then every page, each checked with axe and photographed at
 * a desktop and a phone width.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let browser: Browser;
let page: Page;
let reader: Contact;
const viewerToken = 'e2e-viewer-token-0123456789';

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack({ env: { RAPPORT_VIEWER_TOKEN: viewerToken } });
  table = connectToTable(env.stack);
  const at = '2026-10-01T08:00:00.000Z';
  reader = aContact({
    email: 'console-reader@example.com',
    name: 'Console Reader',
    consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: ['newsletter'],
    pendingTopics: [],
  });
  await new DynamoContactStore(table.documentClient, env.stack.tableName).create(aSignup(reader));
  // The example campaign, put as `npx rapport campaigns put campaigns/winter-offer.yaml` puts it.
  const definition: unknown = parse(await readFile(join(repoRoot, 'campaigns', 'winter-offer.yaml'), 'utf8'));
  const put = await fetch(`${env.stack.apiUrl}/admin/campaigns/winter-offer`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(definition),
  });
  expect(put.status).toBe(200);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  table?.client.destroy();
  await env?.stack.stop();
});

const heading = (name: string) => page.getByRole('heading', { level: 1, name });

/** axe finds nothing serious on the page, and it is photographed at 1280 and 390 px. */
const checkPage = async (name: string) => {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
};

describe('the marketer console', () => {
  it('is served at /console and sends a visitor without a token to the sign-in', async () => {
    const answer = await fetch(`${env.stack.apiUrl}/console/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    await page.goto(`${env.stack.consoleUrl}segments`);
    await heading('Sign in to Rapport').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await checkPage('login');
  });

  it('refuses a wrong token, takes the right one, and keeps it out of the address', async () => {
    await page.getByLabel('Admin token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('That token was refused').waitFor();
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the visitor was going.
    await heading('Segments').waitFor();
    expect(page.url()).not.toContain(adminToken);
    expect(await page.evaluate('sessionStorage.getItem("rapport.adminToken")')).toBe(adminToken);
  });

  it('lists the journeys with their status and version', async () => {
    await page.getByRole('link', { name: 'Journeys' }).click();
    await heading('Journeys').waitFor();
    await page.getByRole('table').getByText('active').first().waitFor();
    await checkPage('journeys');
  });

  it('counts a segment and shows a few of its members', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: 'Newsletter readers who never bought' }).click();
    await heading('Newsletter readers who never bought').waitFor();
    await page.getByRole('button', { name: 'Count members' }).click();
    await page.getByText(/members? among [\d,]+ contacts? counted/).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: reader.email }).waitFor();
    await checkPage('segment');
  });

  it('shows the campaigns and a campaign’s definition', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await heading('Campaigns').waitFor();
    await checkPage('campaigns');
    await page.getByRole('link', { name: 'Winter offer for the best customers' }).click();
    await heading('Winter offer for the best customers').waitFor();
    await page.getByText('holdout 10 %').waitFor();
    // A draft, and an admin may send it.
    await page.getByRole('button', { name: 'Launch' }).waitFor();
    await checkPage('campaign');
  });

  it('finds a contact by email and shows their consent and card', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await heading('Contacts').waitFor();
    await page.getByLabel('Email starts with, or contact id').fill('console-reader');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: reader.email }).click();
    await heading('Console Reader').waitFor();
    await page.getByText('subscribed since').waitFor();
    await checkPage('contact');
  });

  it('can be used by keyboard: the first Tab reaches the skip link, which moves to the content', async () => {
    await page.goto(`${env.stack.consoleUrl}journeys`);
    await heading('Journeys').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  });

  it('signs out, and then sends the visitor to the sign-in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to Rapport').waitFor();
    await page.goto(`${env.stack.consoleUrl}campaigns`);
    await heading('Sign in to Rapport').waitFor();
  });

  it('offers a viewer nothing to change, and the API refuses them too', async () => {
    await page.getByLabel('Admin token').fill(viewerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Campaigns').waitFor();
    await page.getByText('Signed in as viewer').waitFor();
    await page.getByRole('link', { name: 'Winter offer for the best customers' }).click();
    await heading('Winter offer for the best customers').waitFor();
    await page.getByText('holdout 10 %').waitFor();
    expect(await page.getByRole('button', { name: 'Launch' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: 'Crime readers' }).click();
    await heading('Crime readers').waitFor();
    expect(await page.getByRole('button', { name: 'Count members' }).count()).toBe(0);
    const launch = await fetch(`${env.stack.apiUrl}/admin/campaigns/winter-offer/launch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(launch.status).toBe(403);
  });
});
