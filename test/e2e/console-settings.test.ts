import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { AuditPage } from '../../lib/domain/audit-entry.js';
import { DeliveryPolicyAnswer } from '../../lib/domain/delivery-policy-answers.js';
import { TopicList } from '../../lib/domain/topic-list.js';
import { checkPage, launchChromium, seriousViolations } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The settings page's delivery policy and topics in real Chromium against the
 * local stack: an admin adds a cap and quiet hours and saves them, a bad value
 * is named by the API beside its field, and a viewer reads the policy but is
 * offered no form, and refused by the API.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let page: Page;
const viewerToken = 'e2e-settings-viewer-token-01';

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack({
    env: { RAPPORT_VIEWER_TOKEN: viewerToken, TOPICS: 'newsletter=Our newsletter,offers' },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await env?.stack.stop();
});

const call = async (token: string, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = JSON.parse(await response.text());
  return { status: response.status, json };
};

const policyNow = async () =>
  DeliveryPolicyAnswer.parse((await call(adminToken, 'GET', '/admin/delivery-policy')).json);

const heading = (name: string) => page.getByRole('heading', { level: 1, name });
const email = () => page.getByRole('group', { name: 'Email' });

const signIn = async (token: string) => {
  await page.goto(`${env.stack.consoleUrl}settings`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Settings').waitFor();
};

describe('the delivery policy through the admin API', () => {
  it('is read by a viewer, with the topics, and replaced only by an admin over the version it read', async () => {
    const read = await call(viewerToken, 'GET', '/admin/delivery-policy');
    expect(read.status).toBe(200);
    const { version } = DeliveryPolicyAnswer.parse(read.json);
    expect(TopicList.parse((await call(viewerToken, 'GET', '/admin/topics')).json).topics).toEqual([
      { id: 'newsletter', label: 'Our newsletter' },
      { id: 'offers', label: 'Offers' },
    ]);

    const byViewer = await call(viewerToken, 'PUT', '/admin/delivery-policy', { policy: {}, version });
    expect(byViewer.status).toBe(403);
    const stale = await call(adminToken, 'PUT', '/admin/delivery-policy', {
      policy: {},
      version: version + 5,
    });
    expect(stale.status).toBe(409);
    const bad = await call(adminToken, 'PUT', '/admin/delivery-policy', {
      policy: { email: { caps: [{ max: 0, per: 'P7D' }] } },
      version,
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { fields: { 'policy.email.caps.0.max': expect.any(String) } } });
    expect((await policyNow()).version).toBe(version);
  });
});

describe('the settings page', () => {
  it('lets an admin add a cap and quiet hours, save them, and find them after a reload', async () => {
    const before = await policyNow();
    await signIn(adminToken);
    await page
      .getByText('No caps and no quiet hours: marketing emails go out as soon as they are due.')
      .waitFor();
    await page.getByText('Our newsletter').waitFor();

    await email().getByRole('button', { name: 'Add a cap to Email' }).click();
    await email().getByLabel('Cap 1: at most').fill('3');
    await email().getByLabel('Cap 1: per').fill('P7D');
    await email().getByLabel('Quiet hours from').fill('21:00');
    await email().getByLabel('Quiet hours until').fill('08:00');
    await page.locator('.policy-form button[type=submit]:not([disabled])').waitFor();
    await page.getByRole('button', { name: 'Save the delivery policy' }).click();
    await page
      .getByRole('status')
      .getByText(`Saved as version ${before.version + 1}`)
      .waitFor();

    await page.reload();
    await heading('Settings').waitFor();
    await page.getByText('At most 3 emails per 7 days.').waitFor();
    await page.getByText('Quiet hours 21:00–08:00 in the contact’s time zone').waitFor();
    expect(await email().getByLabel('Cap 1: per').inputValue()).toBe('P7D');
    expect((await policyNow()).policy.email).toEqual({
      caps: [{ max: 3, per: 'P7D' }],
      quiet_hours: { start: '21:00', end: '08:00' },
      when_capped: 'defer',
    });
    // The change is in the audit log with the version it replaced and the one it made; its checks are not.
    await page.getByRole('cell', { name: 'PUT /admin/delivery-policy' }).first().waitFor();
    const audit = AuditPage.parse((await call(adminToken, 'GET', '/admin/audit')).json);
    expect(audit.entries.filter((entry) => entry.route.startsWith('/admin/delivery-policy'))).toEqual([
      expect.objectContaining({
        method: 'PUT',
        route: '/admin/delivery-policy',
        versionBefore: before.version,
        versionAfter: before.version + 1,
      }),
    ]);
    await checkPage(page, 'settings-policy');
  });

  it('shows the API’s problem beside the field that has it, and saves nothing', async () => {
    const saved = await policyNow();
    await email().getByLabel('Cap 1: at most').fill('0');
    await page.locator('#policy-email-caps-0-max-problem').getByText('expected number to be >=1').waitFor();
    expect(await email().getByLabel('Cap 1: at most').getAttribute('aria-invalid')).toBe('true');

    await email().getByLabel('Cap 1: at most').fill('3');
    await email().getByLabel('Quiet hours until').fill('21:00');
    await page.locator('#policy-email-quiet_hours-problem').getByText('start and end must differ').waitFor();
    expect(await page.locator('#policy-email-caps-0-max-problem').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save the delivery policy' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await policyNow()).toEqual(saved);
  });

  it('shows a viewer the policy in words but no form, and the API refuses their change', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(viewerToken);
    await page.getByText('Signed in as viewer').waitFor();
    await page.getByText('At most 3 emails per 7 days.').waitFor();
    expect(await page.getByRole('heading', { name: 'Change the delivery policy' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save the delivery policy' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    const { version } = await policyNow();
    const refused = await call(viewerToken, 'PUT', '/admin/delivery-policy', { policy: {}, version });
    expect(refused.status).toBe(403);
    expect(
      z.object({ error: z.object({ requiredRole: z.string() }) }).parse(refused.json).error.requiredRole,
    ).toBe('admin');
    expect((await policyNow()).version).toBe(version);
  });
});
