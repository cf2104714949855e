import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md are enforced by Biome's noRestrictedImports
 * (biome.json, overrides). This lints small files placed in each layer, in a copy
 * of the configuration, to show the rule refuses what the layers forbid and
 * allows what they permit: a rule that matched nothing would pass `npm run lint`
 * silently.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'rapport-layers-'));
  const config = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8'));
  // The copy is not a git checkout, and its imports resolve nowhere: only the import rule is under test.
  const { vcs: _vcs, files: _files, ...rest } = config;
  writeFileSync(join(workspace, 'biome.json'), JSON.stringify({ ...rest, $schema: undefined }));
});
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

const lint = (path: string, source: string): { refused: boolean; output: string } => {
  const file = join(workspace, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  const run = spawnSync(join(repoRoot, 'node_modules/.bin/biome'), ['lint', '--max-diagnostics=20', path], {
    cwd: workspace,
    encoding: 'utf8',
  });
  const output = `${run.stdout}${run.stderr}`;
  return { refused: output.includes('noRestrictedImports'), output };
};

describe('the layers, as the linter enforces them', () => {
  it.each([
    ['lib/domain', "import { x } from '../adapters/dynamodb/items.js';"],
    ['lib/domain', "import { x } from '../app/sign-up.js';"],
    ['lib/domain', "import { x } from '../config/runtime-env.js';"],
    ['lib/domain', "import { x } from '../ports/outbox.js';"],
    ['lib/domain', "import { readFileSync as x } from 'node:fs';"],
    ['lib/app', "import { x } from '../adapters/dynamodb/dynamo-outbox.js';"],
    ['lib/app', "import { x } from '../config/runtime-env.js';"],
    ['lib/app', "import { DynamoDBClient as x } from '@aws-sdk/client-dynamodb';"],
    ['functions/http', "import { SESv2Client as x } from '@aws-sdk/client-sesv2';"],
    ['lib/templates', "import { x } from '../app/deliver-message.js';"],
    ['lib/cli', "import { SignatureV4 as x } from '@smithy/signature-v4';"],
    ['lib/app', "import { x } from '../simulation/simulate.js';"],
    ['lib/simulation', "import { x } from '../adapters/dynamodb/dynamo-outbox.js';"],
    ['lib/simulation', "import { x } from '../config/runtime-env.js';"],
    ['lib/simulation', "import { readFile as x } from 'node:fs/promises';"],
  ])('refuses, in %s: %s', (folder, line) => {
    expect(lint(`${folder}/probe.ts`, `${line}\nexport const y = x;\n`).refused).toBe(true);
  });

  it.each([
    ['lib/domain', "import { z as x } from 'zod';"],
    ['lib/domain', "import { createHmac as x } from 'node:crypto';"],
    ['lib/app', "import { x } from '../ports/outbox.js';"],
    ['lib/app', "import { x } from '../domain/contact.js';"],
    ['lib/adapters/dynamodb', "import { DynamoDBClient as x } from '@aws-sdk/client-dynamodb';"],
    ['lib/simulation', "import { x } from '../adapters/memory/memory-world.js';"],
    ['lib/simulation', "import { x } from '../app/deliver-message.js';"],
    ['lib/cli', "import { SignatureV4 as x } from '@smithy/signature-v4';"],
  ])('allows, in %s: %s', (folder, line) => {
    const file = folder === 'lib/cli' ? 'lib/cli/admin-client.ts' : `${folder}/probe.ts`;
    const { refused, output } = lint(file, `${line}\nexport const y = x;\n`);
    expect(refused, output).toBe(false);
  });
});
