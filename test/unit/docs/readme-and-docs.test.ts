import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consoleSettings } from '../../../infra/cloud/constructs/console-settings.js';
import { consolePath } from '../../../infra/local/console-files.js';
import { topology } from '../../../infra/topology.js';
import { runCli, UsageError } from '../../../lib/cli/main.js';
import {
  cliMentions,
  type LinkTargets,
  linkProblems,
  npmScriptsMentioned,
  type Route,
  routeProblems,
} from './support/claims.js';
import { anchorsOf, type Markdown, readMarkdown, section } from './support/markdown.js';

/**
 * The README and docs/ tell a newcomer what to run and which routes exist. These
 * checks hold them to the code: package.json for scripts, infra/topology.ts (and the
 * local gateway's own routes) for routes, the CLI's dispatch for commands, and the
 * tree for links.
 */

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

const pages: string[] = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const markdownOf = (path: string): Markdown => readMarkdown(read(path));

const targets: LinkTargets = {
  exists: (path) => existsSync(join(repoRoot, path)),
  anchors: (path) => anchorsOf(markdownOf(path)),
};

/** The routes `npm start` serves beside the topology's, with no cloud counterpart (`/local/…`). */
const localOnlyRoutes = (): Route[] =>
  [...read('infra/local/http-gateway.ts').matchAll(/'(GET|POST|PUT|DELETE)',\s*'(\/local\/[^']*)'/g)].map(
    (match) => ({ method: match[1] ?? '', path: match[2] ?? '' }),
  );

const topologyRoutes = topology.flatMap((spec) => (spec.trigger.kind === 'http' ? spec.trigger.routes : []));

const routes: Route[] = [
  ...topologyRoutes,
  ...localOnlyRoutes(),
  // The console, served by both runtimes; and the admin routes again under /api behind CloudFront.
  { method: 'GET', path: consolePath },
  ...topologyRoutes
    .filter((route) => route.auth === 'admin')
    .map((route) => ({ method: route.method, path: `${consoleSettings.apiPath}${route.path}` })),
];

const scripts = (): Set<string> => {
  const manifest: unknown = JSON.parse(read('package.json'));
  const declared =
    typeof manifest === 'object' && manifest !== null && 'scripts' in manifest ? manifest.scripts : {};
  return new Set(typeof declared === 'object' && declared !== null ? Object.keys(declared) : []);
};

const cliUsage = async (): Promise<string> => {
  const printed: string[] = [];
  await runCli(['--help'], { print: (text) => printed.push(text.toString()), env: {} });
  return printed.join('\n');
};

/** Options listed as `--name <value>` in the usage take a value. */
const valueOptions = (usage: string): Set<string> =>
  new Set([...usage.matchAll(/^\s+(--[a-z-]+)\s+<[^>]+>/gm)].map((match) => match[1] ?? ''));

/**
 * Whether the CLI dispatches `<group> <command>`: it is run with nothing after them
 * (so it asks for its arguments, or lists through the stubbed API), and only an
 * "unknown command" or "unknown area" means it does not exist.
 */
const dispatches = async (group: string, command: string): Promise<boolean> => {
  try {
    await runCli([group, command], { print: () => {}, env: {} });
    return true;
  } catch (error) {
    return !(error instanceof UsageError && /^unknown (command|area)\b/.test(error.message));
  }
};

describe('when a newcomer reads the README', () => {
  const readme = markdownOf('README.md');

  it('is under 200 lines', () => {
    expect(read('README.md').trimEnd().split('\n').length).toBeLessThan(200);
  });

  it('starts the system with exactly `npm ci && npm start`', () => {
    expect(section(readme, 'Quick start').codeBlocks[0]?.body).toBe('npm ci && npm start');
  });

  it('runs the tests with exactly `npm ci && npm test`', () => {
    expect(section(readme, 'Tests').codeBlocks[0]?.body).toBe('npm ci && npm test');
  });
});

describe.each(pages)('when %s is checked against the code', (page) => {
  const markdown = markdownOf(page);

  it('names only npm scripts that package.json has', () => {
    const known = scripts();
    expect(npmScriptsMentioned(markdown).filter((script) => !known.has(script))).toEqual([]);
  });

  it('names only routes the topology or the local gateway serves', () => {
    expect(routeProblems(markdown, routes)).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    expect(linkProblems(page, markdown, targets)).toEqual([]);
  });

  describe('and its `npx rapport` commands are run', () => {
    beforeEach(() => {
      // The listing commands call the admin API; none of them may reach a real one.
      vi.stubGlobal('fetch', async () => new Response('{}', { status: 200 }));
    });
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('names only commands the CLI dispatches', async () => {
      const mentions = cliMentions(markdown, valueOptions(await cliUsage()));
      const unknown: string[] = [];
      for (const { group, command, line } of mentions) {
        if (!(await dispatches(group, command))) unknown.push(line);
      }
      expect(unknown).toEqual([]);
    });
  });
});

describe('when a page says something the code does not have', () => {
  const page = readMarkdown(
    [
      '# Page',
      '',
      'See [the API](api.md#the-signup-api), [nothing](no-such-file.md) and [a heading](#missing).',
      '',
      '```sh',
      'curl -X POST http://127.0.0.1:3000/v1/sign-up',
      'npm run no-such-script',
      'npx rapport journeys frobnicate welcome',
      '```',
      '',
      'Then `GET /admin/contacts/{id}/history`, and `DELETE /admin/journeys/{id}`.',
    ].join('\n'),
  );

  it('names the broken link and the missing heading, not the good link', () => {
    const withPage: LinkTargets = {
      exists: (path) => path === 'docs/page.md' || targets.exists(path),
      anchors: (path) => (path === 'docs/page.md' ? anchorsOf(page) : targets.anchors(path)),
    };
    expect(linkProblems('docs/page.md', page, withPage)).toEqual([
      'docs/page.md:3 → no-such-file.md: no such file',
      'docs/page.md:3 → #missing: no heading "missing" in docs/page.md',
    ]);
  });

  it('names each route that does not exist, by its method where the page gives one', () => {
    expect(routeProblems(page, routes)).toEqual([
      'GET /admin/contacts/{id}/history',
      'DELETE /admin/journeys/{id}',
      '(any method) /v1/sign-up',
      '(any method) /admin/contacts/{id}/history',
      'POST /v1/sign-up',
    ]);
  });

  it('names the unknown script and the unknown command', async () => {
    expect(npmScriptsMentioned(page).filter((script) => !scripts().has(script))).toEqual(['no-such-script']);
    const [mention] = cliMentions(page, new Set());
    expect(mention).toMatchObject({ group: 'journeys', command: 'frobnicate' });
    expect(await dispatches('journeys', 'frobnicate')).toBe(false);
  });
});
