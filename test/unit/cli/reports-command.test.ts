import { describe, expect, it } from 'vitest';
import { runCli, UsageError } from '../../../lib/cli/main.js';
import { ordersBySourceText } from '../../../lib/cli/reports-command.js';

const tally = { orders: 3, customers: 2, revenue: 75.05, refunded: 5.05 };
const answer = {
  currency: 'EUR',
  from: '2026-11-01',
  to: '2026-11-30',
  totals: { orders: 4, customers: 3, revenue: 1234.5, refunded: 5.05 },
  bySource: [
    { medium: 'social', source: 'instagram', campaign: 'autumn\u001b[2J', ...tally },
    { medium: null, source: null, campaign: null, orders: 1, customers: 1, revenue: 1159.45, refunded: 0 },
  ],
  byJourney: [
    { journeyId: 'welcome', ...tally },
    { journeyId: null, orders: 1, customers: 1, revenue: 1159.45, refunded: 0 },
  ],
};

describe('rapport reports orders-by-source', () => {
  const printed = ordersBySourceText(answer).toString();
  const lines = printed.split('\n');

  it('prints a row per acquisition and per journey, with none for what is missing', () => {
    expect(lines[0]).toBe(
      "Orders by acquisition, 2026-11-01 to 2026-11-30 (net of refunds; the signup's utm_medium, utm_source, utm_campaign)",
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\(none\) +\(none\) +\(none\) +1 +1 +1,159\.45 +0\.00$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^welcome +3 +2 +75\.05 +5\.05$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\(none\) +1 +1 +1,159\.45 +0\.00$/));
    expect(lines.at(-1)).toBe('total: 4 orders, 3 customers, revenue 1,234.50 EUR, refunded 5.05 EUR');
  });

  it('shows amounts with the decimals of the report’s currency', () => {
    const yen = ordersBySourceText({
      ...answer,
      currency: 'JPY',
      totals: { ...answer.totals, revenue: 150_000 },
    });
    expect(yen.toString().split('\n').at(-1)).toBe(
      'total: 4 orders, 3 customers, revenue 150,000 JPY, refunded 5 JPY',
    );
  });

  it('shows a control character in a campaign name instead of letting the terminal obey it', () => {
    expect(printed).not.toContain('\u001b');
    expect(printed).toContain('autumn\\u001b[2J');
  });

  it('prints what it cannot read as JSON', () => {
    expect(ordersBySourceText({ unexpected: true }).toString()).toBe('{\n  "unexpected": true\n}');
  });

  it('refuses a report it does not know', async () => {
    await expect(runCli(['reports', 'orders-by-colour'], { print: () => {}, env: {} })).rejects.toThrow(
      UsageError,
    );
  });
});
