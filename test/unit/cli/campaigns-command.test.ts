import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../../../lib/cli/admin-client.js';
import {
  type CampaignsContext,
  campaignsCommand,
  campaignsTable,
} from '../../../lib/cli/campaigns-command.js';
import type { TerminalText } from '../../../lib/cli/terminal-text.js';

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

const run = async (args: string[], answer: (call: Call) => unknown, json = false) => {
  const calls: Call[] = [];
  const printed: string[] = [];
  const context: CampaignsContext = {
    api: () => async (method, path, body) => {
      const call = { method, path, ...(body === undefined ? {} : { body }) };
      calls.push(call);
      return answer(call);
    },
    show: (data, table) => printed.push(json ? JSON.stringify(data) : table().toString()),
    print: (text: TerminalText) => printed.push(text.toString()),
    usage: (message) => new Error(message),
  };
  const [command, ...rest] = args;
  const code = await campaignsCommand(command, rest, context);
  return { code, calls, output: printed.join('\n') };
};

const campaignYaml = `id: winter-sale
name: Winter sale
audience: { segmentId: gold }
channel: { kind: email, templateId: promo }
holdout: 10
variants:
  - { id: a, subject: "Cosy up" }
  - { id: b, subject: "Winter deals" }
`;

const fileWith = async (content: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'rapport-campaigns-'));
  const file = join(dir, 'campaign.yaml');
  await writeFile(file, content);
  return file;
};

const saved = {
  definition: {
    id: 'winter-sale',
    name: 'Winter sale',
    audience: { segmentId: 'gold' },
    schedule: { kind: 'now' },
  },
  status: 'sending',
  version: 2,
  launchedAt: '2026-12-01T09:00:00.000Z',
};

describe('rapport campaigns', () => {
  it('puts a YAML file as a draft through the API', async () => {
    const file = await fileWith(campaignYaml);
    const { code, calls, output } = await run(['put', file], () => ({
      ...saved,
      status: 'draft',
      version: 1,
    }));
    expect(code).toBe(0);
    expect(calls).toEqual([
      {
        method: 'PUT',
        path: '/admin/campaigns/winter-sale',
        body: expect.objectContaining({ id: 'winter-sale' }),
      },
    ]);
    expect(output).toContain('winter-sale stored as a draft (version 1)');
  });

  it('refuses a file that breaks the schema before calling the API, naming the fields', async () => {
    const file = await fileWith(`${campaignYaml}holdout: 90\n`.replace('holdout: 10\n', ''));
    const { code, calls, output } = await run(['validate', file], () => ({}));
    expect(code).toBe(1);
    expect(calls).toEqual([]);
    expect(output).toContain('holdout');
  });

  it('validates the segment and templates through the API', async () => {
    const file = await fileWith(campaignYaml);
    const { code, output } = await run(['validate', file], () => ({
      valid: false,
      problems: [{ path: 'audience.segmentId', message: 'unknown segment "gold"' }],
    }));
    expect(code).toBe(1);
    expect(output).toContain('audience.segmentId');
  });

  it('launches, pauses, resumes and cancels by id, and reports a refused step', async () => {
    for (const step of ['launch', 'pause', 'resume', 'cancel']) {
      const { code, calls } = await run([step, 'winter-sale'], () => saved);
      expect(code).toBe(0);
      expect(calls[0]).toMatchObject({ method: 'POST', path: `/admin/campaigns/winter-sale/${step}` });
    }
    const refused = await run(['cancel', 'winter-sale'], () => {
      throw new AdminApiError(409, { error: { message: 'it is sent already' } });
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('sent already');
  });

  it('lists campaigns as a table, and as JSON with --json', async () => {
    expect(campaignsTable({ campaigns: [saved] }).toString()).toMatch(/winter-sale.*sending.*gold.*now/);
    const { output } = await run(['list'], () => ({ campaigns: [saved] }), true);
    expect(JSON.parse(output)).toEqual({ campaigns: [saved] });
  });
});
