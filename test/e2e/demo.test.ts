import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/local/local-stack.js';

/**
 * `npm run demo` as a newcomer runs it, at a smaller size: its own process
 * (the handlers read their environment once per process), the whole local
 * system, and the printed report read back like a person would read it.
 */
let code: number | null;
let output = '';

const runDemo = (args: string[]): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    let printed = '';
    const child = spawn('npx', ['tsx', 'scripts/demo/main.ts', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve({ code: exitCode, output: printed }));
  });

/** The rows of the table printed under the line that starts with `title`, each split into its cells. */
const tableAfter = (title: string): string[][] => {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  if (start < 0) throw new Error(`no "${title}" in the demo's output:\n${output}`);
  const rows: string[][] = [];
  // The title, the header, the rule; then rows, up to a blank line or a note (a sentence: one cell).
  for (const line of lines.slice(start + 3)) {
    const cells = line.trim().split(/\s{2,}/);
    if (!line.startsWith('  ') || cells.length < 2) break;
    rows.push(cells);
  }
  return rows;
};

const count = (cell: string | undefined): number => Number((cell ?? '').replaceAll(',', ''));

beforeAll(async () => {
  ({ code, output } = await runDemo(['--contacts', '40', '--seed', '7']));
}, 300_000);

describe('npm run demo', () => {
  it('exits 0 and ends with the timing line', () => {
    expect(code, output).toBe(0);
    expect(output).toMatch(/Demo finished in \d+\.\d s\./);
  });

  it('prints every table, and every check holds', () => {
    for (const title of [
      'What the demo posted',
      'Book sales by genre',
      'Contacts by email consent',
      'Journeys (GET /admin/journeys/{id}/stats',
      'Messages:',
      'Value tiers',
      'Top 10 customers by net revenue',
      'Journey report',
      'Contacts (GET /admin/contacts?limit=',
      'Segments (PUT /admin/segments/{id}',
      'Campaign "',
      'Campaign report (GET /admin/campaigns/',
      'Checks',
      'Timing',
    ]) {
      expect(output).toContain(title);
    }
    const checks = output.split('\n').filter((line) => /^ {2}(ok|FAIL) {2}/.test(line));
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(checks.filter((line) => line.includes('FAIL'))).toEqual([]);
  });

  it('has tiers that add up to the customers, and consent that adds up to the people', () => {
    const customers = count(/Value tiers \(.*; ([\d,]+) customers\)/.exec(output)?.[1]);
    expect(customers).toBeGreaterThan(0);
    const tiers = tableAfter('Value tiers');
    const total = tiers.find((row) => row[0] === 'total');
    const named = tiers.filter((row) => row[0] !== 'total');
    expect(named.map((row) => row[0])).toEqual(expect.arrayContaining(['vip', 'regular', 'new', 'lapsed']));
    expect(named.reduce((sum, row) => sum + count(row[1]), 0)).toBe(customers);
    expect(count(total?.[1])).toBe(customers);

    const consent = tableAfter('Contacts by email consent');
    expect(consent.reduce((sum, row) => sum + count(row[1]), 0)).toBe(40);
  });

  it('counts every shipped journey, and the confirmations and welcomes it sent', () => {
    const journeys = tableAfter('Journeys (GET /admin/journeys/{id}/stats');
    const ids = journeys.map((row) => row[0]);
    expect(ids).toEqual(
      expect.arrayContaining(['welcome', 'win-back', 'replacement-reminder', 'new-book-launch']),
    );
    const posted = /signups +(\d+) through POST \/v1\/signup; (\d+) confirmed/.exec(output);
    const welcome = journeys.find((row) => row[0] === 'welcome');
    expect(count(welcome?.[1])).toBe(count(posted?.[2]));
    const messages =
      /Messages: ([\d,]+) emails in the SES emulator \(([\d,]+) confirmations, ([\d,]+) from journeys\)/.exec(
        output,
      );
    expect(count(messages?.[2])).toBe(count(posted?.[1]));
    expect(count(messages?.[1])).toBe(count(messages?.[2]) + count(messages?.[3]));
  });

  it('lists the top customers highest first, each with an RFM segment and a predicted CLV', () => {
    const top = tableAfter('Top 10 customers by net revenue');
    expect(top.length).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(10);
    const revenues = top.map((row) => count(row[3]));
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    for (const row of top) {
      expect(row[4]).toMatch(/^[1-5]{3}$/);
      expect(count(row[6])).toBeGreaterThanOrEqual(0);
    }
  });

  it('launches a book in the best-selling genre and says what became of the fan-out', () => {
    const genres = tableAfter('Book sales by genre');
    const leader = genres[0]?.[0];
    expect(output).toMatch(
      new RegExp(`New book: ".+" \\(BOOK-${(leader ?? '').toUpperCase()}-NEW\\) in ${leader},`),
    );
    expect(output).toMatch(/fan-out job done after/);
  });

  it('prints the lift table of each shipped journey with a holdout, counting contacts as members', () => {
    for (const journey of ['new-book-launch', 'replacement-reminder']) {
      const title = `  ${journey} (holdout `;
      expect(output).toContain(title);
      const rows = tableAfter(title);
      expect(rows.map((row) => row[0])).toEqual(['treatment', 'control']);
      for (const row of rows) expect(count(row[1])).toBeLessThanOrEqual(count(row[2]));
      expect(output).toMatch(new RegExp(`^ {2}ok {4}${journey}'s holdout report counts the contacts`, 'm'));
    }
  });
});

describe('npm run demo, its audiences and its campaign', () => {
  it('lists every contact, and counts each segment as the demo reckons it from what it posted', () => {
    expect(output).toMatch(/^Contacts \(GET \/admin\/contacts\?limit=\d+: 40 contacts of 40 people/m);
    expect(tableAfter('Contacts (GET /admin/contacts').length).toBeGreaterThan(0);
    const segments = tableAfter('Segments (PUT /admin/segments/{id}');
    expect(segments.map((row) => row[0])).toEqual(['demo-top-value', 'demo-crime-readers']);
    for (const row of segments) {
      expect(count(row[3])).toBeGreaterThan(0);
      expect(count(row[3])).toBe(count(row[4]));
    }
    expect(output).toMatch(/^ {2}ok {4}segment demo-top-value counted/m);
    expect(output).toMatch(/^ {2}ok {4}segment demo-crime-readers counted/m);
  });

  it("sends the campaign at 10:00 in each reader's zone, to the reachable top-value members less the control group", () => {
    const audience = /audience +demo-top-value at launch: ([\d,]+) members, ([\d,]+) of them subscribed/.exec(
      output,
    );
    const reachable = count(audience?.[2]);
    expect(reachable).toBeGreaterThan(0);
    const steps = tableAfter('  Step by step');
    expect(steps.length).toBeGreaterThan(0);
    for (const row of steps)
      expect(row[1]).toMatch(/^10:00 in |later, for messages the delivery policy held back$/);

    const report = tableAfter('Campaign report (GET /admin/campaigns/');
    expect(report.map((row) => row[0])).toEqual(['thanks', 'best', 'total']);
    const total = report.find((row) => row[0] === 'total') ?? [];
    const [treatment, control, sent, skipped] = [total[1], total[2], total[3], total[4]].map(count);
    expect((treatment ?? 0) + (control ?? 0)).toBe(reachable);
    expect((sent ?? 0) + (skipped ?? 0) + (control ?? 0)).toBe(reachable);
    expect(count(steps.at(-1)?.[2])).toBe(sent);
  });

  it('passes every campaign check: the audience, the inbox, the local send times, the feedback and the goal', () => {
    for (const check of [
      'the campaign validates and launches',
      'the frozen audience is the segment',
      'sent + skipped + failed + control = audience',
      'campaign emails in the SES emulator = sent',
      'one email a reader, all in the audience',
      'no one got it before 10:00 in their own zone',
      'SES feedback counted as published',
      'orders after a click are credited to the campaign',
      'the campaign is marked sent',
      'the goal counts the readers the demo posted orders for',
      "the goal's groups are the audience's",
    ]) {
      expect(
        output.split('\n').some((line) => line.startsWith(`  ok    ${check}`)),
        check,
      ).toBe(true);
    }
  });
});

describe('npm run demo with a bad size', () => {
  it('explains and exits 1', async () => {
    const refused = await runDemo(['--contacts', 'many']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('The demo failed');
    expect(refused.output).toContain('--contacts');
  }, 60_000);
});
