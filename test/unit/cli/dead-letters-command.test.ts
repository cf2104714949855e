import { describe, expect, it } from 'vitest';
import { deadLettersCommand } from '../../../lib/cli/dead-letters-command.js';
import { UsageError } from '../../../lib/cli/main.js';

const summary = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  at: '2026-11-23T12:00:00.000Z',
  functionName: 'deliver',
  redriveAs: 'stream-record',
  subject: 'C#01JD0000000000000000000001 MSG#receipt#1',
  reason:
    'TemplateMissingError: message receipt#1 names template "retired-mail", which has no published version',
  redrives: 0,
  ...overrides,
});

const first = '01JD0000000000000000000001';
const second = '01JD0000000000000000000002';

/** The command against an API that answers each call from `answer`, recording what it was asked. */
const run = async (
  command: string,
  rest: string[],
  answer: (method: string, path: string, body: unknown) => unknown,
  options: { json?: boolean; all?: boolean; id?: string; limit?: string } = {},
) => {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const printed: string[] = [];
  const code = await deadLettersCommand(command, rest, {
    api: () => async (method, path, body) => {
      calls.push({ method, path, body });
      return answer(method, path, body);
    },
    print: (text) => printed.push(text.toString()),
    usage: (message) => new UsageError(message),
    json: options.json ?? false,
    all: options.all ?? false,
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  });
  return { code, calls, output: printed.join('\n') };
};

describe('rapport dead-letters list', () => {
  const pages: Record<string, unknown> = {
    '': { deadLetters: [summary(first)], next: first },
    [first]: {
      deadLetters: [
        summary(second, {
          functionName: 'journeys',
          reason: 'UndecodableRecordError: \u001b[2J',
          redrives: 2,
        }),
      ],
      next: null,
    },
  };
  const byAfter = (_method: string, path: string) =>
    pages[new URL(path, 'http://api.test').searchParams.get('after') ?? ''];

  it('prints each with its function, what it is about and why, and how to read on', async () => {
    const { code, calls, output } = await run('list', [], byAfter, { limit: '1' });

    expect(code).toBe(0);
    expect(calls.map((call) => call.path)).toEqual(['/admin/dead-letters?limit=1']);
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^id +at +function +subject +redrives +reason$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^${first} +2026-11-23T12:00:00.000Z +deliver +C#\\S+ MSG#receipt#1 +0 +TemplateMissingError: `,
      ),
    );
    expect(lines.at(-1)).toBe(`more: rapport dead-letters list --after ${first}`);
  });

  it('follows every page with --all, showing a control character in a reason instead of obeying it', async () => {
    const { calls, output } = await run('list', [], byAfter, { all: true });

    expect(calls.map((call) => call.path)).toEqual([
      '/admin/dead-letters',
      `/admin/dead-letters?after=${first}`,
    ]);
    expect(output).toContain(second);
    expect(output).not.toContain('\u001b');
    expect(output).toContain('UndecodableRecordError: \\u001b[2J');
  });

  it('prints JSON with --json', async () => {
    const { output } = await run('list', [], byAfter, { all: true, json: true });

    expect(JSON.parse(output)).toEqual({
      deadLetters: [summary(first), expect.objectContaining({ id: second })],
      next: null,
    });
  });
});

describe('rapport dead-letters show', () => {
  it('prints the reason and the record as the function received it', async () => {
    const { calls, output } = await run('show', [first], () => ({
      ...summary(first),
      record: { eventName: 'INSERT', dynamodb: { Keys: { SK: { S: 'MSG#receipt#1' } } } },
      redrives: 1,
      lastRedrive: { at: '2026-11-23T13:00:00.000Z', error: 'TemplateMissingError: still missing' },
    }));

    expect(calls).toEqual([{ method: 'GET', path: `/admin/dead-letters/${first}`, body: undefined }]);
    expect(output).toContain('function: deliver (redriven as stream-record)');
    expect(output).toContain(
      'redrives that failed: 1, the last at 2026-11-23T13:00:00.000Z: TemplateMissingError: still missing',
    );
    expect(output).toContain('"S": "MSG#receipt#1"');
  });

  it('asks for the id it needs', async () => {
    await expect(run('show', [], () => undefined)).rejects.toThrow(new UsageError('give the dead letter id'));
  });
});

describe('rapport dead-letters redrive', () => {
  it('hands one back by its id, and exits 0 when it went through', async () => {
    const { code, calls, output } = await run(
      'redrive',
      [],
      () => ({ results: [{ id: first, functionName: 'deliver', outcome: 'redriven' }], next: null }),
      { id: first },
    );

    expect(code).toBe(0);
    expect(calls).toEqual([{ method: 'POST', path: '/admin/dead-letters/redrive', body: { id: first } }]);
    expect(output).toContain('1 of 1 redriven');
  });

  it('goes on where each answer says with --all, and exits 1 when one failed again', async () => {
    const { code, calls, output } = await run(
      'redrive',
      [],
      (_method, _path, body) =>
        typeof body === 'object' && body !== null && 'after' in body
          ? {
              results: [
                {
                  id: second,
                  functionName: 'journeys',
                  outcome: 'failed',
                  error: 'UndecodableRecordError: x',
                },
              ],
              next: null,
            }
          : { results: [{ id: first, functionName: 'deliver', outcome: 'redriven' }], next: first },
      { all: true },
    );

    expect(code).toBe(1);
    expect(calls.map((call) => call.body)).toEqual([{ all: true }, { all: true, after: first }]);
    expect(output).toContain('1 of 2 redriven');
    expect(output).toMatch(new RegExp(`${second} +journeys +failed +UndecodableRecordError: x`));
  });

  it.each([
    [{}, 'neither'],
    [{ id: first, all: true }, 'both'],
  ])('needs exactly one of --id and --all (%j: %s)', async (options, _which) => {
    await expect(run('redrive', [], () => undefined, options)).rejects.toThrow(
      new UsageError('redrive takes --id <id> for one dead letter, or --all'),
    );
  });
});
