import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCard } from '../../../lib/cli/contacts-command.js';
import { main, runCli, UsageError } from '../../../lib/cli/main.js';
import { obeyedCharacters } from './obeyed-characters.js';

/** A stand-in admin API: records each request and answers from `answers` by method and path. */
const requests: Array<{ method: string; url: string; authorization: string | undefined }> = [];
let answers: Record<string, { status: number; body: unknown }> = {};
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    const answer = answers[`${request.method} ${request.url}`] ?? {
      status: 404,
      body: { error: { code: 'not_found', message: 'no such thing' } },
    };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stand-in API has no port');
  apiUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
  answers = {};
});

const run = async (...argv: string[]) => {
  const printed: string[] = [];
  const code = await runCli([...argv, '--api', apiUrl, '--token', 'cli-test-token-0123456789'], {
    print: (text) => printed.push(text.toString()),
    env: {},
  });
  return { code, output: printed.join('\n') };
};

const card = {
  contact: {
    id: '01JCONTACT',
    email: 'ann@example.com',
    name: 'Ann',
    phone: '+14255550182',
    externalId: 'shop-7',
    consent: {
      email: { status: 'subscribed', changedAt: '2026-11-23T10:00:00.000Z' },
      sms: { status: 'none', changedAt: '2026-11-23T10:00:00.000Z' },
    },
    lastEngagedAt: '2026-11-30T08:15:00.000Z',
    topics: ['newsletter'],
    pendingTopics: [],
    attributes: {},
    acquisition: { at: '2026-11-23T10:00:00.000Z' },
    customer: {
      orders: 3,
      revenue: 129.5,
      averageOrderValue: 43.17,
      currency: 'EUR',
      categories: { ink: 4 },
      categoryLastPurchasedAt: {},
      ownedProducts: [],
      tier: 'vip',
      rfm: { recency: 5, frequency: 4, monetary: 5, segment: '545', scoredAt: '2026-11-23T00:00:00.000Z' },
      refunds: 0,
    },
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    version: 3,
  },
  suppressed: false,
  consentLog: [{}, {}],
  enrollments: [
    {
      id: '01JENROLL',
      journeyId: 'welcome',
      journeyVersion: 2,
      status: 'active',
      currentNode: 'pause',
      enteredAt: '2026-11-23T10:05:00.000Z',
      updatedAt: '2026-11-23T10:05:00.000Z',
    },
  ],
};

describe('rapport contacts get', () => {
  it('prints the card of a contact found by id: identity, consent, customer and enrollments', async () => {
    answers['GET /admin/contacts/01JCONTACT'] = { status: 200, body: card };

    const { code, output } = await run('contacts', 'get', '01JCONTACT');

    expect(code).toBe(0);
    expect(requests[0]?.authorization).toBe('Bearer cli-test-token-0123456789');
    expect(output).toContain('Contact 01JCONTACT');
    expect(output).toMatch(/email\s+ann@example\.com/);
    expect(output).toMatch(/user id\s+shop-7/);
    expect(output).toMatch(/email\s+subscribed since 2026-11-23T10:00:00\.000Z/);
    expect(output).toMatch(/last engaged\s+2026-11-30T08:15:00\.000Z/);
    expect(output).toMatch(/revenue\s+129\.50 EUR/);
    expect(output).toMatch(/tier\s+vip/);
    expect(output).toMatch(/RFM\s+545/);
    expect(output).toMatch(/journey\s+version\s+status\s+node\s+entered\s+updated/);
    expect(output).toMatch(/welcome\s+2\s+active\s+pause/);
  });

  it('looks a contact up by email when given an address', async () => {
    answers['GET /admin/contacts?email=ann%40example.com'] = {
      status: 200,
      body: { ...card, contact: { ...card.contact, customer: undefined } },
    };

    const { code, output } = await run('contacts', 'get', 'ann@example.com');

    expect(code).toBe(0);
    expect(output).not.toContain('Customer');
  });
});

const listed = (id: string, email: string) => ({
  id,
  email,
  consent: {
    email: { status: 'subscribed', changedAt: '2026-11-23T10:00:00.000Z' },
    sms: { status: 'none', changedAt: '2026-11-23T10:00:00.000Z' },
  },
  topics: ['newsletter'],
  customer: {
    orders: 2,
    revenue: 1234.5,
    averageOrderValue: 617.25,
    currency: 'EUR',
    tier: 'vip',
    categories: {},
    ownedProducts: [],
  },
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
});

describe('rapport contacts list', () => {
  it('prints a page as a table, passes the filters on, and says when there are more', async () => {
    answers['GET /admin/contacts?segment=vip&q=ann%40ex&tier=vip&limit=1'] = {
      status: 200,
      body: { contacts: [listed('01JANN', 'ann@example.com')], next: 'CURSOR1' },
    };

    const { code, output } = await run(
      'contacts',
      'list',
      '--segment',
      'vip',
      '--q',
      'ann@ex',
      '--tier',
      'vip',
      '--limit',
      '1',
    );

    expect(code).toBe(0);
    expect(output).toMatch(/id\s+email\s+name\s+consent\s+topics\s+tier\s+orders\s+revenue\s+last purchase/);
    expect(output).toMatch(/01JANN\s+ann@example\.com\s+subscribed\s+newsletter\s+vip\s+2\s+1,234\.50 EUR/);
    expect(output).toContain('1 shown; there are more: --all lists every one');
  });

  it('follows the cursor to the end with --all', async () => {
    answers['GET /admin/contacts?consent=subscribed'] = {
      status: 200,
      body: { contacts: [listed('01JANN', 'ann@example.com')], next: 'C-2' },
    };
    answers['GET /admin/contacts?consent=subscribed&after=C-2'] = {
      status: 200,
      body: { contacts: [], next: 'C-3' },
    };
    answers['GET /admin/contacts?consent=subscribed&after=C-3'] = {
      status: 200,
      body: { contacts: [listed('01JBOB', 'bob@example.com')] },
    };

    const { code, output } = await run('contacts', 'list', '--consent', 'subscribed', '--all', '--json');

    expect(code).toBe(0);
    expect(requests).toHaveLength(3);
    expect(JSON.parse(output).contacts.map((contact: { id: string }) => contact.id)).toEqual([
      '01JANN',
      '01JBOB',
    ]);
  });

  it("reports the API's refusal of a filter, naming the field", async () => {
    answers['GET /admin/contacts?tier=gold'] = {
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'the request has invalid fields',
          fields: { tier: 'Invalid option' },
        },
      },
    };

    await expect(run('contacts', 'list', '--tier', 'gold')).rejects.toThrow(/400.*"tier"/);
  });
});

/** The hardening report's signup name: recolour, retitle the window, ring the bell, then forge a card line. */
const hostileName =
  'Ann\u001b[31m\u001b]0;owned\u0007\u009b2J\r\n  email        forged@attacker.example\u202e\u2066';
const hostileCard = {
  ...card,
  contact: { ...card.contact, name: hostileName, externalId: 'shop\u007f-7\u2028x' },
  enrollments: card.enrollments.map((enrollment) => ({ ...enrollment, currentNode: 'pause\nwelcome  9' })),
};

const expectNothingObeyed = (output: string) => {
  expect(obeyedCharacters(output)).toEqual([]);
  // The forged line stays part of the name's line.
  const withForged = output.split('\n').filter((line) => line.includes('forged@attacker.example'));
  expect(withForged).toHaveLength(1);
  expect(withForged[0]).toMatch(/^ {2}name\s+Ann\\u001b\[31m/);
  expect(output).not.toMatch(/^\s+email\s+forged/m);
};

describe('what reaches the terminal', () => {
  it('shows the control characters of a hostile name escaped, on the name’s own line', () => {
    const output = formatCard(hostileCard).toString();

    expectNothingObeyed(output);
    expect(output).toContain(
      'Ann\\u001b[31m\\u001b]0;owned\\u0007\\u009b2J\\r\\n  email        forged@attacker.example\\u202e\\u2066',
    );
    expect(output).toContain('shop\\u007f-7\\u2028x');
  });

  it('keeps a table row on one line when a cell holds a newline', () => {
    const enrollments = formatCard(hostileCard).toString().split('\n\n').at(-1) ?? '';

    expect(enrollments.split('\n')).toHaveLength(4);
    expect(enrollments).toMatch(/welcome\s+2\s+active\s+pause\\nwelcome {2}9/);
  });

  it('replays `rapport contacts get` with the hostile signup', async () => {
    answers['GET /admin/contacts/01JCONTACT'] = { status: 200, body: hostileCard };

    const { code, output } = await run('contacts', 'get', '01JCONTACT');

    expect(code).toBe(0);
    expectNothingObeyed(output);
  });

  it('prints --json that a terminal cannot act on and that still parses to the same data', async () => {
    answers['GET /admin/contacts/01JCONTACT'] = { status: 200, body: hostileCard };

    const { output } = await run('contacts', 'get', '01JCONTACT', '--json');

    expect(obeyedCharacters(output)).toEqual([]);
    expect(output).toContain('\\u202e\\u2066');
    expect(JSON.parse(output)).toEqual(hostileCard);
  });

  it('escapes what the API says in an error the same way', async () => {
    answers['GET /admin/contacts/nobody'] = {
      status: 404,
      body: { error: { code: 'not_found', message: `no contact named ${hostileName}` } },
    };
    const complaints: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((text: unknown) => {
      complaints.push(String(text));
    });
    const exitCode = process.exitCode;
    try {
      await main(['contacts', 'get', 'nobody', '--api', apiUrl, '--token', 'cli-test-token-0123456789']);
    } finally {
      consoleError.mockRestore();
      process.exitCode = exitCode;
    }

    expect(complaints).toHaveLength(1);
    expect(complaints[0]).toContain('no contact named Ann\\u001b[31m');
    expect(obeyedCharacters(complaints[0] ?? '')).toEqual([]);
    expect(complaints[0]).not.toContain('\n');
  });
});

describe('rapport contacts export', () => {
  it('writes the export to the file named by --out', async () => {
    const exported = { contactId: '01JCONTACT', consentLog: [{}, {}], orders: [{ total: 42 }] };
    answers['GET /admin/contacts/01JCONTACT/export'] = { status: 200, body: exported };
    const out = join(await mkdtemp(join(tmpdir(), 'rapport-export-')), 'ann.json');

    const { code, output } = await run('contacts', 'export', '01JCONTACT', '--out', out);

    expect(code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(exported);
    expect(output).toContain(`written to ${out}: consentLog 2, orders 1`);
  });
});

describe('rapport contacts delete', () => {
  it('refuses without --yes and calls nothing', async () => {
    await expect(run('contacts', 'delete', '01JCONTACT')).rejects.toBeInstanceOf(UsageError);
    expect(requests).toEqual([]);
  });

  it('erases with --yes and prints what was removed', async () => {
    answers['DELETE /admin/contacts/01JCONTACT'] = {
      status: 200,
      body: {
        contactId: '01JCONTACT',
        status: 'erased',
        requestedAt: '2026-11-23T12:00:00.000Z',
        erasedAt: '2026-11-23T12:00:01.000Z',
        removed: { profile: 1, consentLog: 2, identities: 1 },
        suppressedByHash: ['email'],
      },
    };

    const { code, output } = await run('contacts', 'delete', '01JCONTACT', '--yes');

    expect(code).toBe(0);
    expect(requests.map((request) => request.method)).toEqual(['DELETE']);
    expect(output).toContain('erased 01JCONTACT at 2026-11-23T12:00:01.000Z');
    expect(output).toMatch(/consentLog\s+2/);
    expect(output).toContain('suppressed from now on by hash only: email');
  });
});
