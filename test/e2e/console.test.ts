import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { campaignGroup } from '../../lib/domain/campaign-plan.js';
import type { Contact } from '../../lib/domain/contact.js';
import { ContactRecord } from '../../lib/domain/contact-record.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { checkPage, launchChromium } from './support/browser.js';
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
let bombed: Contact;
const viewerToken = 'e2e-viewer-token-0123456789';

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack({ env: { RAPPORT_VIEWER_TOKEN: viewerToken } });
  table = connectToTable(env.stack);
  const at = '2026-10-01T08:00:00.000Z';
  // The campaign created below holds 10 % out by a hash of its id and the contact's:
  // a fixed id in its treatment group makes the one message certain.
  reader = aContact({
    id: '01JCONSOLEREADER000000000A',
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

describe('the marketer console', () => {
  it('is served at /console and sends a visitor without a token to the sign-in', async () => {
    const answer = await fetch(`${env.stack.apiUrl}/console/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    await page.goto(`${env.stack.consoleUrl}segments`);
    await heading('Sign in to Rapport').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await checkPage(page, 'login');
  });

  it("ships React's production build, whatever NODE_ENV the build ran under", async () => {
    const html = await (await fetch(`${env.stack.apiUrl}/console/`)).text();
    const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(entry).toMatch(/^\/console\/assets\/index-.+\.js$/);
    const script = await (await fetch(`${env.stack.apiUrl}${entry}`)).text();
    // React's production build points at its error decoder; only the development build asks for its DevTools.
    expect(script).toContain('Minified React error');
    expect(script).not.toContain('Download the React DevTools');
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
    await checkPage(page, 'journeys');
  });

  it('counts a segment and shows a few of its members', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: 'Newsletter readers who never bought' }).click();
    await heading('Newsletter readers who never bought').waitFor();
    await page.getByRole('button', { name: 'Count members' }).click();
    await page.getByText(/members? among [\d,]+ contacts? counted/).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: reader.email }).waitFor();
    await checkPage(page, 'segment');
  });

  it('creates a segment, saying what is wrong as it is typed, and counts it', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: 'New segment' }).click();
    await heading('New segment').waitFor();
    await page.getByLabel('Id').fill('console-readers');
    await page.getByLabel('Name').fill('Console readers');
    const condition = page.getByLabel(/^Condition/);
    await condition.fill('{ "contact.email": { "$regex": ');
    await page.getByText('is not JSON yet').waitFor();
    await condition.fill('{ "contact.customer.lastPurchaseAt": { "$within": "soon" } }');
    await page.getByText('$within takes a duration from now').waitFor();
    expect(await page.getByRole('button', { name: 'Create segment' }).isDisabled()).toBe(true);
    await condition.fill('{ "contact.email": "console-reader@example.com" }');
    await page.locator('#condition-problem').waitFor({ state: 'detached' });
    await checkPage(page, 'segment-editor');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await heading('Console readers').waitFor();
    await page.getByRole('button', { name: 'Count members' }).click();
    await page.getByText('1 member among').waitFor({ timeout: 30_000 });
  });

  it('shows the campaigns and a campaign’s definition', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await heading('Campaigns').waitFor();
    await checkPage(page, 'campaigns');
    await page.getByRole('link', { name: 'Winter offer for the best customers' }).click();
    await heading('Winter offer for the best customers').waitFor();
    await page.getByText('holdout 10 %').waitFor();
    // A draft, and an admin may send it.
    await page.getByRole('button', { name: 'Launch' }).waitFor();
    await checkPage(page, 'campaign');
  });

  it('creates a campaign with a holdout and two subjects, launches it, and shows its progress', async () => {
    expect(campaignGroup({ id: 'console-sale', holdout: 10 }, reader.id)).toBe('treatment');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await heading('New campaign').waitFor();
    await page.getByLabel('Id (letters, digits and -)').fill('console-sale');
    await page.getByLabel('Name').fill('Console sale');
    await page.getByLabel('Segment').selectOption('console-readers');
    await page.getByLabel('Email template id').fill('no-such-template');
    await page
      .getByText(/no-such-template/)
      .first()
      .waitFor();
    await page.getByLabel('Email template id').fill('winter-offer');
    await page.getByLabel('Held out as the control group (%)').fill('10');
    await page.getByLabel('Subject A').fill('A winter thank-you');
    await page.getByLabel('Subject B').fill('Your winter pick');
    const save = page.getByRole('button', { name: 'Save as a draft' });
    // The API's check of the last change has come back clean.
    await page.locator('form.editor .problem').first().waitFor({ state: 'detached' });
    await page.locator('form.editor button[type=submit]:not([disabled])').waitFor();
    await checkPage(page, 'campaign-editor');
    await save.click();
    await heading('Console sale').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Launch' }).click();
    // The launch job freezes the audience; the send writes the one message.
    // The launch and the send run on the scheduler's real clock: on a loaded machine a run may be well behind.
    await page
      .getByText(/froze the audience: [\d,]+ contacts looked at, 1 recipients/)
      .waitFor({ timeout: 90_000 });
    await page.getByText(/1 messages written/).waitFor({ timeout: 90_000 });
    await page.getByRole('heading', { name: 'Report' }).waitFor();
  }, 200_000);

  it('finds a contact by email and shows their consent and card', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await heading('Contacts').waitFor();
    await page.getByLabel('Email starts with, or contact id').fill('console-reader');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: reader.email }).click();
    await heading('Console Reader').waitFor();
    await page.getByText('subscribed since').waitFor();
    await checkPage(page, 'contact');
  });

  it('tells an admin the form stopped mailing an address, and lets it ask again', async () => {
    // An address someone kept posting to the form: three confirmations, none answered. Added only
    // now, so the segment and campaign tests above see the world they were written for.
    const at = '2026-10-01T08:00:00.000Z';
    bombed = aContact({
      email: 'posted-by-someone-else@example.com',
      consent: { email: { status: 'pending', changedAt: at }, sms: { status: 'none', changedAt: at } },
      confirmationRequestedAt: at,
      unansweredConfirmations: 3,
    });
    await new DynamoContactStore(table.documentClient, env.stack.tableName).create(aSignup(bombed));
    await page.goto(`${env.stack.apiUrl}/console/contacts/${bombed.id}`);
    await heading(bombed.email).waitFor();
    const notice = page.getByText(/sent 3 confirmation emails with no answer/);
    await notice.waitFor();
    await checkPage(page, 'contact-confirmations-stopped');

    await page.getByRole('button', { name: 'Let the form ask again' }).click();

    await notice.waitFor({ state: 'detached' });
    const record = await fetch(`${env.stack.apiUrl}/admin/contacts/${bombed.id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(ContactRecord.parse(await record.json()).contact.unansweredConfirmations).toBe(0);
    await page.goBack();
  });

  it('erases a test contact only once their address is typed', async () => {
    const erase = page.getByRole('button', { name: 'Erase this contact' });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel(/To erase this contact for good/).fill(reader.email);
    await erase.click();
    await page
      .getByRole('status')
      .getByText(/^Erased: /)
      .waitFor();
    const gone = await fetch(`${env.stack.apiUrl}/admin/contacts/${reader.id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(gone.status).toBe(404);
  });

  it('creates an API key shown once, and the audit log names who did it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await heading('Settings').waitFor();
    await page.getByLabel('Name of the new key').fill('The shop');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = await page.getByRole('status').locator('code').textContent();
    expect(shown).toMatch(/^rk_/);
    await page.getByRole('row', { name: /The shop/ }).waitFor();
    await page.reload();
    await heading('Settings').waitFor();
    // Never again: only its last characters.
    expect(await page.getByRole('status').locator('code').count()).toBe(0);
    await page.getByRole('cell', { name: 'POST /admin/api-keys' }).first().waitFor();
    await page.getByRole('cell', { name: 'DELETE /admin/contacts/{id}' }).first().waitFor();
    await checkPage(page, 'settings');
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
