import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, UsageError } from '../../../lib/cli/main.js';

const run = async (...argv: string[]) => {
  const printed: string[] = [];
  const code = await runCli(argv, { print: (text) => printed.push(text.toString()), env: {} });
  return { code, output: printed.join('\n') };
};

const journeyFile = async (yaml: string) => {
  const folder = await mkdtemp(join(tmpdir(), 'rapport-cli-'));
  const file = join(folder, 'journey.yaml');
  await writeFile(file, yaml);
  return file;
};

describe('rapport journeys validate', () => {
  it('passes the shipped journeys against the shipped templates', async () => {
    const { code, output } = await run('journeys', 'validate', 'journeys/welcome.yaml');
    expect(code).toBe(0);
    expect(output).toContain('✓ journeys/welcome.yaml');
  });

  it('names each problem by its path and exits 1', async () => {
    const file = await journeyFile(
      'id: broken\nname: Broken\ntrigger: {event: signup_confirmed}\nstart: a\nnodes:\n  - {id: a, type: send_email, template: welcome, next: nowhere}\n',
    );
    const { code, output } = await run('journeys', 'validate', file);
    expect(code).toBe(1);
    expect(output).toContain('nodes.0');
    expect(output).toContain('nodes.0.next');
    expect(output).toContain('unknown node "nowhere"');
  });

  it('refuses a journey whose template does not exist', async () => {
    const file = await journeyFile(
      'id: missing\nname: Missing\ntrigger: {event: signup_confirmed}\nstart: a\nnodes:\n  - {id: a, type: send_email, template: no-such-template}\n',
    );
    const { code, output } = await run('journeys', 'validate', '--json', file);
    expect(code).toBe(1);
    expect(JSON.parse(output)).toEqual([
      {
        file,
        valid: false,
        problems: [{ path: 'nodes.0.template', message: 'unknown template "no-such-template"' }],
      },
    ]);
  });
});

describe('rapport journeys simulate', () => {
  it('prints the timeline of a journey over virtual time', async () => {
    const file = await journeyFile(
      'id: later\nname: Later\ntrigger: {event: signup_confirmed}\nstart: pause\nnodes:\n  - {id: pause, type: wait, duration: P3D, next: hello}\n  - {id: hello, type: send_email, template: welcome}\n',
    );
    const { code, output } = await run(
      'journeys',
      'simulate',
      file,
      '--json',
      '--from',
      '2026-11-23T10:00:00Z',
      '--to',
      '2026-12-01T00:00:00Z',
    );
    expect(code).toBe(0);
    const timeline = JSON.parse(output);
    expect(timeline.map((entry: { kind: string }) => entry.kind)).toEqual([
      'entered',
      'waiting',
      'sent',
      'completed',
    ]);
    expect(timeline[2]).toMatchObject({
      at: '2026-11-26T10:00:00.000Z',
      template: 'welcome',
      subject: 'Welcome to Rapport',
    });
  });

  it('names a bad event by its place and exits 1, instead of a stack trace', async () => {
    const { code, output } = await run(
      'journeys',
      'simulate',
      'journeys/welcome.yaml',
      '--events',
      '[{"type":"signup_confirmed","at":"yesterday"}]',
    );
    expect(code).toBe(1);
    expect(output).toContain('--events.0.at');
  });

  it('says why a simulation that cannot finish stopped, and exits 1', async () => {
    const steps = Array.from(
      { length: 40 },
      (_, index) =>
        `  - {id: n${index + 1}, type: emit_event, detail_type: Tick, next: ${index < 39 ? `n${index + 2}` : 'first'}}`,
    );
    const file = await journeyFile(
      `id: loop\nname: Loop\ntrigger: {event: order_completed}\nstart: first\nnodes:\n  - {id: first, type: wait, duration: PT1S, next: n1}\n${steps.join('\n')}\n`,
    );
    const { code, output } = await run('journeys', 'simulate', file, '--from', '2026-11-23T10:00:00Z');
    expect(code).toBe(1);
    expect(output).toContain('simulation: the simulation wrote more than 10000 lines');
  });
});

describe('rapport usage', () => {
  it('rejects an unknown command with a usage error', async () => {
    await expect(run('journeys', 'teleport')).rejects.toBeInstanceOf(UsageError);
  });
});
