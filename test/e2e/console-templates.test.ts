import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import type { Contact } from '../../lib/domain/contact.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { checkPage, launchChromium } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * The template pages of the marketer console in real Chromium against the local
 * stack: the shipped `welcome` template edited with its preview following, for
 * the sample contact and a chosen one, a test sent and found in the SES
 * emulator's store, and the draft published.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let browser: Browser;
let page: Page;
let reader: Contact;
/** What the console's CSP refused, as Chromium reports it on the console. */
const refusals: string[] = [];
const testAddress = `template-test-${Date.now()}@example.com`;

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack();
  table = connectToTable(env.stack);
  const at = '2026-10-01T08:00:00.000Z';
  reader = aContact({
    email: 'template-reader@example.com',
    name: 'Template Reader',
    consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: ['newsletter'],
    pendingTopics: [],
  });
  await new DynamoContactStore(table.documentClient, env.stack.tableName).create(aSignup(reader));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) refusals.push(message.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  table?.client.destroy();
  await env?.stack.stop();
});

const heading = (name: string) => page.getByRole('heading', { level: 1, name });

const desktopFrame = () => page.frameLocator('iframe[title="Email preview at desktop width"]');
const mobileFrame = () => page.frameLocator('iframe[title="Email preview at mobile width"]');
const previewSubject = () => page.locator('.preview-subject output');

describe('templates in the marketer console', () => {
  it('lists the shipped templates with their kind, version and draft', async () => {
    await page.goto(`${env.stack.consoleUrl}templates`);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Templates').waitFor();
    const welcome = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'welcome', exact: true }) });
    await welcome.waitFor();
    expect(await welcome.getByRole('cell').allTextContents()).toEqual(['marketing', 'v1', 'no']);
    await checkPage(page, 'templates', { tallWindow: true });
  });

  it('previews the template at both widths, with the email’s own inline styles and no script', async () => {
    await page.getByRole('link', { name: 'welcome', exact: true }).click();
    await heading('welcome').waitFor();
    await desktopFrame().getByText('Welcome aboard, Sam Sample!').waitFor();
    await mobileFrame().getByText('Welcome aboard, Sam Sample!').waitFor();
    expect(await previewSubject().textContent()).toMatch(/^Welcome to \S/);
    for (const title of ['Email preview at desktop width', 'Email preview at mobile width']) {
      expect(await page.getByTitle(title).getAttribute('sandbox')).toBe('');
    }
    const widths = await page
      .locator('.preview-frames iframe')
      .evaluateAll((frames) => frames.map((frame) => frame.clientWidth));
    expect(widths).toEqual([600, 360]);
    // The MJML says font-size="24px"; only an inline style can carry it into the frame.
    const fontSize = await desktopFrame()
      .getByText('Welcome aboard, Sam Sample!')
      .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).fontSize);
    expect(fontSize).toBe('24px');
    expect(refusals).toEqual([]);
  });

  it('renders the preview again as the subject and body are edited, and for a chosen contact', async () => {
    await page.getByLabel('Subject').fill('Hello from the editor, {{ contact.name }}');
    await expect.poll(() => previewSubject().textContent()).toBe('Hello from the editor, Sam Sample');

    const mjml = page.getByLabel('MJML body');
    await mjml.fill((await mjml.inputValue()).replace('Welcome aboard', 'Ahoy aboard'));
    await desktopFrame().getByText('Ahoy aboard, Sam Sample!').waitFor();

    await page.getByLabel('Contact id').fill(reader.id);
    await desktopFrame().getByText('Ahoy aboard, Template Reader!').waitFor();
    await expect.poll(() => previewSubject().textContent()).toBe('Hello from the editor, Template Reader');

    await page.getByLabel('Contact id').fill('nobody-at-all');
    await page.getByText('there is no contact "nobody-at-all"').waitFor();
    await page.getByLabel('Contact id').fill('');
    await desktopFrame().getByText('Ahoy aboard, Sam Sample!').waitFor();
  });

  it('saves the draft and sends a test of it, which the SES emulator holds', async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.getByText(/^revision 1, saved/).waitFor();

    await page.getByLabel('Send a test to').fill('not-an-address@');
    await page.getByLabel('Send a test to').evaluate((input) => input.removeAttribute('required'));
    await page.getByLabel('Send a test to').evaluate((input) => input.setAttribute('type', 'text'));
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.locator('#test-to-problem').getByText('must be an email address').waitFor();

    await page.getByLabel('Send a test to').fill(testAddress);
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(`Sent “[Test] Hello from the editor, Sam Sample” to ${testAddress}.`).waitFor();
    const [mail, ...others] = await env.mail.to(testAddress);
    expect(others).toEqual([]);
    expect(mail?.subject).toBe('[Test] Hello from the editor, Sam Sample');
    expect(mail?.body.html).toContain('Ahoy aboard, Sam Sample!');
    await checkPage(page, 'template', { tallWindow: true });
  });

  it('publishes the draft after a confirmation, as the next version', async () => {
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('as v2');
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByText('Published as v2.').waitFor();
    await page
      .getByRole('listitem')
      .filter({ hasText: /^v2, published/ })
      .waitFor();
    await page.getByText(/^v2, /).first().waitFor();
    expect(await page.getByRole('combobox', { name: 'Content' }).inputValue()).toBe('2');
  });
});
