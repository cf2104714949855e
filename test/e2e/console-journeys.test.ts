import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { checkPage, launchChromium } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * A journey's page in real Chromium against the local stack: the graph, the
 * YAML draft with its problems marked at their line as it is typed, a
 * simulation, and publishing a new version.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await env?.stack.stop();
});

const heading = (name: string) => page.getByRole('heading', { level: 1, name });

/** The welcome journey with its send handed to a node that does not exist (line 10). */
const draft = (next: string, name = 'Welcome') =>
  [
    'id: welcome',
    `name: ${name}`,
    'trigger:',
    '  event: signup_confirmed',
    'start: send-welcome',
    'nodes:',
    '  - id: send-welcome',
    '    type: send_email',
    '    template: welcome',
    `    next: ${next}`,
    '  - id: done',
    '    type: exit',
  ].join('\n');

const typeDraft = async (text: string) => {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
};

const latestVersion = async (): Promise<number> => {
  const answer = await fetch(`${env.stack.apiUrl}/admin/journeys/welcome`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const body: unknown = await answer.json();
  return typeof body === 'object' &&
    body !== null &&
    'latestVersion' in body &&
    typeof body.latestVersion === 'number'
    ? body.latestVersion
    : Number.NaN;
};

describe('a journey in the marketer console', () => {
  it('opens from the list with its graph', async () => {
    await page.goto(`${env.stack.consoleUrl}login`);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Journeys').waitFor();
    await page.getByRole('link', { name: 'Welcome', exact: true }).click();
    await heading('Welcome').waitFor();
    await page.locator('.react-flow__node').filter({ hasText: 'send-welcome' }).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(2);
  });

  it('completes a key the draft lacks from the journey schema', async () => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText('\ndescr');
    await page.keyboard.press('Control+Space');
    const suggestions = page.getByRole('listbox');
    await suggestions.getByRole('option', { name: /^description/ }).waitFor();
    // CodeMirror ignores Enter for its first 75 ms open, so that a fast typist's Enter makes a new line.
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.cm-content').innerText()).toMatch(/\ndescription: \s*$/);
  });

  it('marks a dangling next at its line as the draft is typed, and clears it once fixed', async () => {
    await typeDraft(draft('nowhere'));
    const problems = page.getByRole('list', { name: 'Problems in the draft' });
    await problems.getByText('Line 10: nodes.0.next: unknown node "nowhere"').waitFor();
    // CodeMirror underlines the value itself and puts a marker in the gutter.
    await page.locator('.cm-lintRange-error', { hasText: 'nowhere' }).waitFor();
    expect(await page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0);
    await typeDraft(draft('done', 'Welcome, kept short'));
    await expect.poll(() => problems.getByRole('listitem').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.locator('.cm-lint-marker-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText(/^Draft saved \(revision \d+\)\.$/).waitFor();
  });

  it('simulates the saved draft and shows the timeline', async () => {
    await page.getByRole('button', { name: 'Simulate' }).click();
    const timeline = page.getByRole('table', { name: /Timeline of the saved draft/ });
    await timeline.getByRole('cell', { name: 'entered', exact: true }).waitFor();
    await timeline
      .getByRole('cell', { name: /^(sent|skipped)$/ })
      .first()
      .waitFor();
  });

  it('publishes the draft after a confirmation and shows the new version', async () => {
    const before = await latestVersion();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(`Published version ${before + 1}.`).waitFor();
    await heading('Welcome, kept short').waitFor();
    await page.getByRole('rowheader', { name: `v${before + 1}` }).waitFor();
    expect(await latestVersion()).toBe(before + 1);
  });

  it('compares any two published versions line by line', async () => {
    const latest = await latestVersion();
    await page.getByLabel('From', { exact: true }).selectOption(String(latest - 1));
    await page.getByLabel('To', { exact: true }).selectOption(String(latest));
    const changes = page.getByRole('region', { name: `Changes from v${latest - 1} to v${latest}` });
    await changes.getByText('+ name: Welcome, kept short').waitFor();
    await changes.getByText(/^- name: /).waitFor();
  });

  it('passes axe and is photographed at 1280 and 390 px', async () => {
    await checkPage(page, 'journey', { tallWindow: true });
  });
});

/** The welcome series with its first wait renamed (and made longer): v1's `settle-in` has no twin in v2. */
const publishRenamedWait = async () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${env.stack.apiUrl}/admin/journeys/welcome-series${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (answer) => {
      expect(answer.status, await answer.clone().text()).toBeLessThan(300);
      return answer.json();
    });
  const details = z
    .object({ latest: z.object({ definition: JourneyDefinition }) })
    .parse(await call('GET', ''));
  const current = details.latest.definition;
  const nodes = current.nodes.map((node) =>
    node.id === 'settle-in' ? { ...node, id: 'settle-in-longer', duration: 'P3D' } : node,
  );
  await call('PUT', '/draft', { ...current, start: 'settle-in-longer', nodes });
  await call('POST', '/publish');
};

describe("migrating a journey's waiting enrollments in the console", () => {
  it("shows the server's objection to a wait left unmapped, then queues the migration once it is mapped", async () => {
    await publishRenamedWait();
    await page.goto(`${env.stack.consoleUrl}journeys/welcome-series`);
    await heading('Welcome series').waitFor();
    const migration = page.getByRole('region', { name: 'Migration' });
    const settleIn = migration.getByLabel('settle-in (wait)');
    await expect.poll(() => settleIn.inputValue()).toBe('');
    expect(await migration.getByLabel('watch-preferences (wait_for_event)').inputValue()).toBe(
      'watch-preferences',
    );
    page.once('dialog', (dialog) => dialog.accept());
    await migration.getByRole('button', { name: 'Migrate' }).click();
    await migration
      .getByRole('alert')
      .getByText('"settle-in" (wait) has no place in the new version')
      .waitFor();

    await settleIn.selectOption('settle-in-longer');
    page.once('dialog', (dialog) => dialog.accept());
    await migration.getByRole('button', { name: 'Migrate' }).click();
    await migration.getByText('Migration queued: 3 waits mapped.').waitFor();
    await migration.getByRole('rowheader', { name: 'Migration v1 → v2' }).waitFor();
    await checkPage(page, 'journey-migration', { tallWindow: true });
  });
});
