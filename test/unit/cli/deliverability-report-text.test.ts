import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliverabilityText, journeyEmailText } from '../../../lib/cli/deliverability-report-text.js';
import { runCli } from '../../../lib/cli/main.js';
import { reportsCommand } from '../../../lib/cli/reports-command.js';
import type { DeliverabilityReport, MailingRates } from '../../../lib/domain/deliverability-report.js';
import { defaultReputationThresholds, type EmailRates } from '../../../lib/domain/reputation.js';

const none: EmailRates = {
  sent: 0,
  delivered: 0,
  bounced: 0,
  complained: 0,
  bounceRate: null,
  complaintRate: null,
};

const mailing = (id: string, name: string, rates: Partial<MailingRates>): MailingRates => ({
  id,
  name,
  ...none,
  level: 'healthy',
  tooFewSends: false,
  ...rates,
});

const windowRates: EmailRates = {
  sent: 2000,
  delivered: 1950,
  bounced: 30,
  complained: 3,
  bounceRate: 0.015,
  complaintRate: 0.0015,
};

const answer: DeliverabilityReport = {
  from: '2026-11-21',
  to: '2026-11-23',
  sending: {
    status: 'paused',
    version: 3,
    pause: {
      at: '2026-11-23T10:00:00.000Z',
      source: 'complaint-rate',
      cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
    },
  },
  thresholds: defaultReputationThresholds,
  window: {
    from: '2026-11-22',
    to: '2026-11-23',
    rates: windowRates,
    level: 'critical',
    tooFewSends: false,
    breaches: [{ rate: 'complaint-rate', level: 'critical', value: 0.0015, threshold: 0.001 }],
    cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
  },
  total: windowRates,
  days: [
    { day: '2026-11-21', ...none, level: 'healthy', tooFewSends: true },
    {
      day: '2026-11-22',
      ...windowRates,
      sent: 1000,
      complained: 0,
      complaintRate: 0,
      level: 'healthy',
      tooFewSends: false,
    },
    {
      day: '2026-11-23',
      ...windowRates,
      sent: 1000,
      complained: 3,
      complaintRate: 0.003,
      level: 'critical',
      tooFewSends: false,
    },
  ],
  journeys: [
    mailing('winback', 'Win back\u001b[2J', {
      sent: 200,
      bounced: 2,
      complained: 2,
      bounceRate: 0.01,
      complaintRate: 0.01,
      level: 'critical',
      tooFewSends: true,
    }),
    mailing('welcome', 'Welcome', {
      sent: 1800,
      bounced: 28,
      complained: 1,
      bounceRate: 28 / 1800,
      complaintRate: 1 / 1800,
    }),
  ],
  campaigns: [],
};

const group = { members: 0, conversions: 0, revenue: 0, conversionRate: null, revenuePerMember: null };
const journeyReport = {
  journeyId: 'welcome',
  from: '2026-11-21',
  to: '2026-11-23',
  holdout: { treatment: group, control: group, lift: {}, confidence: 0.95 },
  enrollments: {},
  attributed: { orders: 0, revenue: 0 },
  email: windowRates,
  currency: 'EUR',
};

describe('when the deliverability report is printed', () => {
  const printed = deliverabilityText(answer).toString();
  const lines = printed.split('\n');

  it('says first that marketing email is paused, since when, by what and why, and how to resume', () => {
    expect(lines[0]).toBe(
      "Deliverability, 2026-11-21 to 2026-11-23 (Rapport's own rates from the SES events it receives)",
    );
    expect(lines[2]).toBe(
      'Marketing email: PAUSED since 2026-11-23T10:00:00.000Z (complaint-rate): complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
    );
    expect(lines[3]).toBe('Resume with `rapport sending resume` once the cause is dealt with.');
  });

  it('judges the window against the thresholds in force', () => {
    expect(lines).toContain('Window 2026-11-22 to 2026-11-23: critical');
    expect(lines).toContain(
      'Thresholds: bounce rate warning 2.0 %, critical 5.0 %; complaint rate warning 0.08 %, critical 0.10 %; judged over the last 2 days, from 1000 sends',
    );
  });

  it('prints the days that had mail, with their rates and level', () => {
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^day +sent +delivered +bounced +complained +bounce rate +complaint rate +level$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^2026-11-23 +1000 +1950 +30 +3 +1\.5 % +0\.30 % +critical$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^2026-11-22 +1000 .* +0 % +healthy$/));
    expect(printed).not.toContain('2026-11-21  ');
    expect(lines).toContain('total: 2000 sent, bounce rate 1.5 %, complaint rate 0.15 %');
  });

  it('lists journeys worst first, saying when a level rests on few sends, and none for campaigns', () => {
    const winback = lines.findIndex((line) => line.startsWith('winback'));
    const welcome = lines.findIndex((line) => line.startsWith('welcome'));
    expect(winback).toBeGreaterThan(0);
    expect(welcome).toBeGreaterThan(winback);
    expect(lines[winback]).toMatch(/ +1\.0 % +1\.0 % +critical \(few sends\)$/);
    expect(lines.at(-1)).toBe('(none)');
  });

  it('shows a control character in a journey name instead of letting the terminal obey it', () => {
    expect(printed).not.toContain('\u001b');
    expect(printed).toContain('Win back\\u001b[2J');
  });

  it('says when marketing email is active, and how the last pause ended', () => {
    const active = deliverabilityText({
      ...answer,
      sending: {
        status: 'active',
        version: 4,
        lastPause: {
          at: '2026-11-20T10:00:00.000Z',
          source: 'admin',
          cause: 'checking a list import',
          by: 'ops',
          resumedAt: '2026-11-20T12:00:00.000Z',
          resumedBy: 'ops',
        },
      },
    });
    expect(active.toString().split('\n')[2]).toBe(
      'Marketing email: active (last paused 2026-11-20T10:00:00.000Z for checking a list import; resumed 2026-11-20T12:00:00.000Z by ops)',
    );
  });

  it('prints what it cannot read as JSON', () => {
    expect(deliverabilityText({ unexpected: true }).toString()).toBe('{\n  "unexpected": true\n}');
  });
});

describe('a journey report’s mail', () => {
  it('is one line of SES’s counts and both rates, a dash where nothing was sent', () => {
    expect(journeyEmailText({ ...windowRates }).toString()).toBe(
      'its mail (SES): 2000 sent, 1950 delivered, 30 bounced (bounce rate 1.5 %), 3 complained (complaint rate 0.15 %)',
    );
    expect(journeyEmailText(none).toString()).toContain('(bounce rate –)');
  });
});

describe('rapport journeys report <id>', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('ends with the line of its mail’s rates', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(journeyReport), { status: 200 }));
    const printed: string[] = [];

    await runCli(['journeys', 'report', 'welcome'], {
      print: (text) => printed.push(text.toString()),
      env: { RAPPORT_ADMIN_TOKEN: 't' },
    });

    expect(printed.join('\n').split('\n').at(-1)).toBe(journeyEmailText(windowRates).toString());
  });
});

describe('rapport reports deliverability', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for the days given, and prints the report', async () => {
    const paths: string[] = [];
    const printed: string[] = [];
    const code = await reportsCommand('deliverability', {
      api: () => async (method, path) => {
        paths.push(`${method} ${path}`);
        return answer;
      },
      show: (_, table) => printed.push(table().toString()),
      usage: (message) => new Error(message),
      days: '7',
    });

    expect(code).toBe(0);
    expect(paths).toEqual(['GET /admin/deliverability?days=7']);
    expect(printed).toEqual([deliverabilityText(answer).toString()]);
  });

  it('passes --days from the command line, and prints JSON with --json', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: URL | string) => {
      asked.push(String(url));
      return new Response(JSON.stringify(answer), { status: 200 });
    });
    const printed: string[] = [];

    const code = await runCli(['reports', 'deliverability', '--days', '14', '--json'], {
      print: (text) => printed.push(text.toString()),
      env: { RAPPORT_ADMIN_TOKEN: 't' },
    });

    expect(code).toBe(0);
    expect(asked).toEqual(['http://127.0.0.1:3000/admin/deliverability?days=14']);
    expect(JSON.parse(printed.join('\n'))).toEqual(answer);
  });
});
