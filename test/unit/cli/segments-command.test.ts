import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../../../lib/cli/admin-client.js';
import {
  type SegmentsContext,
  segmentCountText,
  segmentsCommand,
  segmentsTable,
} from '../../../lib/cli/segments-command.js';
import type { TerminalText } from '../../../lib/cli/terminal-text.js';

const done = {
  segmentId: 'crime-readers',
  count: {
    jobId: 'J1',
    status: 'done',
    done: true,
    version: 2,
    at: '2026-12-01T12:00:00.000Z',
    seen: 12_345,
    members: 1_234,
    sample: [{ contactId: 'C1', email: 'ann@example.com' }],
    startedAt: '2026-12-01T12:00:00.000Z',
  },
};

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** The command with an API that answers from `answer` and records each call. */
const run = async (
  args: string[],
  answer: (call: Call) => unknown,
  options: Partial<SegmentsContext> = {},
) => {
  const calls: Call[] = [];
  const printed: string[] = [];
  const context: SegmentsContext = {
    api: () => async (method, path, body) => {
      const call = { method, path, ...(body === undefined ? {} : { body }) };
      calls.push(call);
      return answer(call);
    },
    show: (data, table) => printed.push(options.json ? JSON.stringify(data) : table().toString()),
    print: (text: TerminalText) => printed.push(text.toString()),
    usage: (message) => new Error(message),
    wait: false,
    json: false,
    sleep: async () => {},
    ...options,
  };
  const [command, ...rest] = args;
  const code = await segmentsCommand(command, rest, context);
  return { code, calls, output: printed.join('\n') };
};

const segmentFile = async (content: string): Promise<string> => {
  const file = join(await mkdtemp(join(tmpdir(), 'rapport-segment-')), 'segment.yaml');
  await writeFile(file, content);
  return file;
};

const crimeFile = [
  'id: crime-readers',
  'name: Crime readers',
  'condition:',
  '  contact.customer.categoryLastPurchasedAt.books/crime:',
  '    $within: -P180D',
  '',
].join('\n');

describe('rapport segments output', () => {
  it('lists segments one a row', () => {
    const lines = segmentsTable({
      segments: [{ id: 'vips', name: 'VIPs', live: true, version: 3, updatedAt: '2026-12-01T12:00:00.000Z' }],
    })
      .toString()
      .split('\n');
    expect(lines[0]).toMatch(/^id +name +live +version +updated$/);
    expect(lines[2]).toMatch(/^vips +VIPs +yes +3 +2026-12-01T12:00:00.000Z$/);
    expect(segmentsTable({ segments: [] }).toString()).toBe('no segments');
  });

  it('shows a finished count with its sample', () => {
    const lines = segmentCountText(done).toString().split('\n');
    expect(lines[0]).toBe(
      'crime-readers: 1,234 of 12,345 contacts (version 2, dates from 2026-12-01T12:00:00.000Z)',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^C1 +ann@example\.com$/));
  });

  it('shows a count still running, a failed one, and none yet', () => {
    expect(
      segmentCountText({
        ...done,
        count: { ...done.count, status: 'pending', done: false, sample: [] },
      }).toString(),
    ).toBe('crime-readers: counting… 1,234 members in the first 12,345 contacts (version 2)');
    expect(
      segmentCountText({
        ...done,
        count: { ...done.count, status: 'failed', error: 'segment "crime-readers" was deleted', sample: [] },
      }).toString(),
    ).toBe('crime-readers: the count failed after 12,345 contacts: segment "crime-readers" was deleted');
    expect(segmentCountText({ segmentId: 'vips', count: null }).toString()).toBe(
      'vips: not counted yet; count it with: rapport segments count vips',
    );
  });

  it('shows what a segment says instead of letting the terminal obey it', () => {
    const text = segmentsTable({ segments: [{ id: 'x', name: 'evil\u001b[2J' }] }).toString();
    expect(text).not.toContain('\u001b');
  });
});

describe('rapport segments count --wait', () => {
  it('follows the count until it is done, then prints it', async () => {
    const answers = [
      { ...done, count: { ...done.count, status: 'pending', done: false, seen: 100, members: 10 } },
      done,
    ];
    const { code, calls, output } = await run(
      ['count', 'crime-readers'],
      (call) =>
        call.method === 'POST' ? { segmentId: 'crime-readers', job: { id: 'J1' } } : answers.shift(),
      { wait: true },
    );
    expect(code).toBe(0);
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /admin/segments/crime-readers/count',
      'GET /admin/segments/crime-readers/count',
      'GET /admin/segments/crime-readers/count',
    ]);
    expect(output).toContain('counting… 10 members in the first 100 contacts');
    expect(output).toContain('1,234 of 12,345 contacts');
  });

  it('without --wait files the count and says how to follow it', async () => {
    const { code, calls, output } = await run(['count', 'vips'], () => ({
      segmentId: 'vips',
      job: { id: 'J9' },
    }));
    expect(code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(output).toContain('counting vips as job J9');
  });
});

describe('rapport segments put and validate', () => {
  it('creates a segment the API does not have', async () => {
    const file = await segmentFile(crimeFile);
    const { code, calls, output } = await run(['put', file], (call) => {
      if (call.method === 'GET') throw new AdminApiError(404, {});
      return { created: true, segment: { id: 'crime-readers', version: 1 } };
    });
    expect(code).toBe(0);
    expect(calls[1]).toEqual({
      method: 'PUT',
      path: '/admin/segments/crime-readers',
      body: expect.not.objectContaining({ version: expect.anything() }),
    });
    expect(output).toContain('created crime-readers');
  });

  it('replaces the stored segment over the version it reads', async () => {
    const file = await segmentFile(crimeFile);
    const { calls, output } = await run(['put', file], (call) =>
      call.method === 'GET'
        ? { id: 'crime-readers', version: 4 }
        : { created: false, segment: { id: 'crime-readers', version: 5 } },
    );
    expect(calls[1]?.body).toMatchObject({ name: 'Crime readers', version: 4 });
    expect(output).toContain('replaced crime-readers');
    expect(output).toContain('now version 5');
  });

  it('checks a file offline, naming the bad field, and stores nothing', async () => {
    const file = await segmentFile(
      'id: soon\nname: Soon\ncondition:\n  contact.customer.lastPurchaseAt:\n    $before: tomorrow\n',
    );
    const validated = await run(['validate', file], () => {
      throw new Error('no API call expected');
    });
    expect(validated.code).toBe(1);
    expect(validated.output).toMatch(/condition +.*\$before/);

    const pushed = await run(['put', file], () => {
      throw new Error('no API call expected');
    });
    expect(pushed.code).toBe(1);
    expect(pushed.calls).toEqual([]);

    const good = await run(['validate', await segmentFile(crimeFile)], () => undefined);
    expect(good).toMatchObject({ code: 0, output: expect.stringContaining('✓') });
  });
});
