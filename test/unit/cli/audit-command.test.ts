import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../../lib/cli/audit-command.js';
import { runCli, UsageError } from '../../../lib/cli/main.js';

const entry = (id: string, minute: number, overrides: Record<string, unknown> = {}) => ({
  id,
  at: `2026-11-23T12:0${minute}:00.000Z`,
  actor: { id: 'sub-1', role: 'marketer' },
  method: 'PUT',
  route: '/admin/campaigns/{id}',
  target: { id: 'winter' },
  status: 200,
  ...overrides,
});

/** The command against an API that answers from `pages` by the `after` it is asked for. */
const run = async (
  pages: Record<string, { entries: unknown[]; next: string | null }>,
  options: { json?: boolean; all?: boolean; limit?: string; after?: string } = {},
) => {
  const paths: string[] = [];
  const printed: string[] = [];
  const code = await auditCommand({
    api: () => async (_method, path) => {
      paths.push(path);
      const after = new URL(path, 'http://api.test').searchParams.get('after') ?? '';
      return pages[after];
    },
    print: (text) => printed.push(text.toString()),
    json: options.json ?? false,
    all: options.all ?? false,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.after === undefined ? {} : { after: options.after }),
  });
  return { code, paths, output: printed.join('\n') };
};

const cursor = '2026-11-23T12:01:00.000Z#B';
const pages = {
  '': {
    entries: [
      entry('C', 2, { versionBefore: 1, versionAfter: 2 }),
      entry('B', 1, {
        method: 'DELETE',
        route: '/admin/contacts/{id}',
        target: { id: 'C\u001b[2J' },
        actor: { id: 'arn:aws:iam::1:user/ops', role: 'admin' },
      }),
    ],
    next: cursor,
  },
  [cursor]: {
    entries: [entry('A', 0, { method: 'POST', route: '/admin/journeys/{id}/publish', versionAfter: 3 })],
    next: null,
  },
};

describe('rapport audit', () => {
  it('prints who changed what, newest first, with the versions, and how to read older entries', async () => {
    const { code, paths, output } = await run(pages, { limit: '2' });

    expect(code).toBe(0);
    expect(paths).toEqual(['/admin/audit?limit=2']);
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^at +actor +role +change +target +status +versions$/);
    expect(lines[2]).toMatch(
      /^2026-11-23T12:02:00\.000Z +sub-1 +marketer +PUT \/admin\/campaigns\/\{id\} +id=winter +200 +1 → 2$/,
    );
    expect(lines[3]).toMatch(/arn:aws:iam::1:user\/ops +admin +DELETE \/admin\/contacts\/\{id\}/);
    expect(lines.at(-1)).toBe(`older entries: rapport audit --after ${cursor}`);
  });

  it('shows a control character in a target instead of letting the terminal obey it', async () => {
    const { output } = await run(pages);

    expect(output).not.toContain('\u001b');
    expect(output).toContain('id=C\\u001b[2J');
  });

  it('follows every page with --all, and prints JSON with --json', async () => {
    const { paths, output } = await run(pages, { all: true, json: true });

    expect(paths).toEqual(['/admin/audit', `/admin/audit?after=${encodeURIComponent(cursor)}`]);
    expect(JSON.parse(output)).toMatchObject({
      entries: [{ id: 'C' }, { id: 'B' }, { id: 'A' }],
      next: null,
    });
  });

  it('starts from --after', async () => {
    const { paths, output } = await run(pages, { after: cursor });

    expect(paths).toEqual([`/admin/audit?after=${encodeURIComponent(cursor)}`]);
    expect(output).toMatch(/POST \/admin\/journeys\/\{id\}\/publish +id=winter +200 +\? → 3/);
  });

  it('adds the cause of a pause Rapport made on its own', async () => {
    const { output } = await run({
      '': {
        entries: [
          entry('D', 3, {
            actor: { id: 'rapport:complaint-rate', role: 'system' },
            method: 'POST',
            route: '/admin/sending/pause',
            target: {},
            versionAfter: 1,
            cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
          }),
        ],
        next: null,
      },
    });

    const [header, , row] = output.split('\n');
    expect(header).toMatch(/ +versions +cause$/);
    expect(row).toMatch(
      /^2026-11-23T12:03:00\.000Z +rapport:complaint-rate +system +POST \/admin\/sending\/pause .*\? → 1 +complaint rate 0\.15 %/,
    );
  });

  it('says so when nothing was changed', async () => {
    expect((await run({ '': { entries: [], next: null } })).output).toBe('no changes recorded');
  });

  it('is dispatched by the CLI and takes no command', async () => {
    await expect(runCli(['audit', 'list'], { print: () => {}, env: {} })).rejects.toThrow(UsageError);
  });
});
