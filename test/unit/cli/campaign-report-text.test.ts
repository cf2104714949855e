import { describe, expect, it } from 'vitest';
import { campaignReportText } from '../../../lib/cli/campaign-report-text.js';
import { campaignsCommand } from '../../../lib/cli/campaigns-command.js';
import { journeyReport } from '../../../lib/domain/attribution.js';
import type { CampaignFigures, CampaignReport } from '../../../lib/domain/campaign-report.js';

const figures = (overrides: Partial<CampaignFigures> = {}): CampaignFigures => ({
  audience: { treatment: 600, control: 0 },
  sent: 590,
  failed: 0,
  skipped: {},
  deferred: {},
  delivered: 580,
  bounced: 10,
  complained: 0,
  bounceRate: 10 / 590,
  complaintRate: 0,
  opened: 300,
  clicked: 40,
  unsubscribed: 3,
  attributed: { orders: 4, revenue: 130.49, byMedium: [] },
  ...overrides,
});

const control = { members: 1000, conversions: 40, revenue: 2600 };

const answer: CampaignReport = {
  campaignId: 'spring',
  name: 'Spring sale\u001b[2J',
  status: 'sent',
  launchedAt: '2026-11-20T09:00:00.000Z',
  from: '2026-11-20',
  to: '2026-11-23',
  total: figures({
    audience: { treatment: 1000, control: 1000 },
    sent: 988,
    skipped: { suppressed: 4, 'not-subscribed': 8 },
    deferred: { 'quiet-hours': 5 },
    complained: 3,
    bounceRate: 10 / 1000,
    complaintRate: 3 / 1000,
    clicked: 85,
    attributed: {
      orders: 7,
      revenue: 1510.49,
      byMedium: [
        { medium: 'social', orders: 1, revenue: 1300 },
        { medium: null, orders: 6, revenue: 210.49 },
      ],
    },
  }),
  variants: [{ variant: 'a', ...figures() }],
  winner: 'a',
  goal: {
    event: 'order_completed',
    within: 'P7D',
    holdout: journeyReport({ treatment: { members: 1000, conversions: 60, revenue: 4200 }, control }),
    variants: [
      {
        variant: 'a',
        holdout: journeyReport({ treatment: { members: 600, conversions: 36, revenue: 2520 }, control }),
      },
    ],
  },
  currency: 'EUR',
};

describe('when a campaign report is printed', () => {
  const lines = campaignReportText(answer).toString().split('\n');

  it('heads it with the campaign, its range and its winner, escaping what the marketer named', () => {
    expect(lines[0]).toBe(
      'spring (Spring sale\\u001b[2J): sent, launched 2026-11-20T09:00:00.000Z; 2026-11-20 to 2026-11-23; winner a',
    );
  });

  it('prints the mail per variant and in total, with its bounce and complaint rates, skips and deferrals by reason', () => {
    expect(lines[2]).toMatch(
      /^variant +treatment +control +sent +skipped +deferred +delivered +bounced +complained +bounce rate +complaint rate +opened +clicked +unsubscribed +orders +revenue$/,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^a +600 +0 +590 +0 +0 +580 +10 +0 +1\.7 % +0 % +300 +40 +3 +4 +130\.49$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^total +1000 +1000 +988 +12 +5 +580 +10 +3 +1\.0 % +0\.30 % +300 +85 +3 +7 +1,510\.49$/,
      ),
    );
    expect(lines).toContain('skipped: suppressed 4, not-subscribed 8');
    expect(lines).toContain('deferred: quiet-hours 5');
  });

  it('prints the goal’s groups and the lift with its interval, in total and per variant', () => {
    expect(lines).toContain(
      'Goal: order_completed within P7D of the send (the control group from its would-be send)',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^treatment +1000 +60 +6\.00% +4,200\.00 +4\.20$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}a +600 +36 +6\.00% +2,520\.00 +4\.20$/));
    expect(lines).toContainEqual(expect.stringMatching(/^control +1000 +40 +4\.00% +2,600\.00 +2\.60$/));
    expect(lines).toContain(
      'treatment against control: lift 2.00% (relative 50.00%), 95% interval 0.08% to 3.95%, significant',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^a against control: lift 2\.00% \(relative 50\.00%\)/),
    );
  });

  it('prints attributed orders by medium, none for customers who came without one', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^social +1 +1,300\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\(none\) +6 +210\.49$/));
    expect(lines.at(-1)).toBe('total: 7 orders, revenue 1,510.49 EUR');
  });

  it('shows a dash for a rate before SES reported any send', () => {
    const unsent = campaignReportText({
      ...answer,
      total: figures({ bounceRate: null, complaintRate: null }),
    })
      .toString()
      .split('\n');

    expect(unsent).toContainEqual(expect.stringMatching(/^total +600 +0 +590 +0 +0 +580 +10 +0 +– +– +300 /));
  });

  it('leaves out the goal for a campaign without one, and the winner when there is none', () => {
    const plain = campaignReportText({ ...answer, goal: null, winner: null }).toString();

    expect(plain).not.toContain('Goal:');
    expect(plain.split('\n')[0]).toMatch(/2026-11-23$/);
  });

  it('prints what it does not recognize as JSON', () => {
    expect(campaignReportText({ error: 'nope' }).toString()).toBe('{\n  "error": "nope"\n}');
  });
});

describe('rapport campaigns report <id>', () => {
  const run = async (json: boolean) => {
    const paths: string[] = [];
    const printed: string[] = [];
    const code = await campaignsCommand('report', ['spring'], {
      api: () => async (method, path) => {
        paths.push(`${method} ${path}`);
        return answer;
      },
      show: (data, table) => printed.push(json ? JSON.stringify(data) : table().toString()),
      print: (text) => printed.push(text.toString()),
      usage: (message) => new Error(message),
    });
    return { code, paths, output: printed.join('\n') };
  };

  it('asks the API for the report and prints it', async () => {
    const { code, paths, output } = await run(false);

    expect(code).toBe(0);
    expect(paths).toEqual(['GET /admin/campaigns/spring/report']);
    expect(output).toBe(campaignReportText(answer).toString());
  });

  it('prints the answer itself with --json', async () => {
    expect(JSON.parse((await run(true)).output)).toEqual(answer);
  });
});
