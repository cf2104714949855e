import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { z } from 'zod';
import { repoRoot } from '../../../infra/local/local-stack.js';

/** Debian's chromium (`.ci/run` installs it); Playwright cannot download its own browsers here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchChromium = (): Promise<Browser> => {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: install Debian's chromium, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: chromiumPath,
    // As root in a container, and with no network but loopback: no sandbox, no background fetches.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
};

const Violations = z.array(
  z.object({ id: z.string(), impact: z.string().nullable().optional(), help: z.string(), nodes: z.number() }),
);

/** axe-core's serious and critical violations on the page as it is now. */
export const seriousViolations = async (page: Page) => {
  // Evaluated, not added as a script tag: the console's CSP refuses inline scripts, and must stay on here.
  await page.evaluate(axe.source);
  const found = Violations.parse(
    await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))',
    ),
  );
  return found.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
};

/** Where the console's screenshots go (test-results/console), one per page and width. */
export const screenshotFolder = join(repoRoot, 'test-results', 'console');

export const screenshot = async (page: Page, name: string): Promise<void> => {
  await mkdir(screenshotFolder, { recursive: true });
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`), fullPage: true });
};

/**
 * axe finds nothing serious on the page at 1280 and at 390 px, and it is
 * photographed at each (`<name>-1280`, `<name>-390`). `tallWindow` makes the
 * window as tall as the page first: Chromium paints sandboxed frames only
 * inside the window.
 */
export const checkPage = async (page: Page, name: string, options: { tallWindow?: boolean } = {}) => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    expect(await seriousViolations(page)).toEqual([]);
    if (options.tallWindow === true) {
      await page.setViewportSize({
        width,
        height: await page.locator('html').evaluate((root) => root.scrollHeight),
      });
      // Widgets that measure themselves only once in view (CodeMirror's gutter) get a frame to do it.
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    }
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
};
