import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startVitest } from 'vitest/node';
import { repoRoot } from '../infra/local/local-stack.js';
import { screenshotFolder } from '../test/e2e/support/browser.js';

/**
 * Regenerates docs/console/: runs the console's browser tests (real Chromium
 * against the local stack), which photograph every page at 1280 and 390 px,
 * and copies the pictures next to docs/console.md.
 */
const docsFolder = join(repoRoot, 'docs', 'console');

// Every console browser test: each photographs its own pages.
const consoleTests = (await readdir(join(repoRoot, 'test', 'e2e')))
  .filter((name) => /^console(-[a-z-]+)?\.test\.ts$/.test(name))
  .map((name) => `test/e2e/${name}`);
const vitest = await startVitest('test', consoleTests, {
  project: ['e2e'],
  run: true,
  watch: false,
});
const failed = vitest.state.getCountOfFailedTests();
await vitest.close();
if (failed > 0) throw new Error(`the console tests failed (${failed}); the screenshots were not copied`);
await mkdir(docsFolder, { recursive: true });
const pictures = (await readdir(screenshotFolder)).filter((name) => name.endsWith('.png'));
for (const name of pictures) await copyFile(join(screenshotFolder, name), join(docsFolder, name));
console.log(`${pictures.length} screenshots copied to docs/console/`);
