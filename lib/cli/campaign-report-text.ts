import type { JourneyReport } from '../domain/attribution.js';
import { type CampaignFigures, CampaignReport } from '../domain/campaign-report.js';
import { percentText } from '../domain/reputation.js';
import { amountText, moneyText } from './money-text.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(2)}%`);

/** Bounce and complaint rates as the deliverability report shows them. */
const rate = (value: number | null): string => (value === null ? '–' : percentText(value));

/** `reason 4, other 2`; `–` when there were none. */
const reasons = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ') || '–';

const mailRow = (name: string, figures: CampaignFigures, amount: (value: number) => string) => ({
  variant: name,
  treatment: String(figures.audience.treatment),
  control: String(figures.audience.control),
  sent: String(figures.sent),
  skipped: String(Object.values(figures.skipped).reduce((sum, count) => sum + count, 0)),
  deferred: String(Object.values(figures.deferred).reduce((sum, count) => sum + count, 0)),
  delivered: String(figures.delivered),
  bounced: String(figures.bounced),
  complained: String(figures.complained),
  'bounce rate': rate(figures.bounceRate),
  'complaint rate': rate(figures.complaintRate),
  opened: String(figures.opened),
  clicked: String(figures.clicked),
  unsubscribed: String(figures.unsubscribed),
  orders: String(figures.attributed.orders),
  revenue: amount(figures.attributed.revenue),
});

const liftText = (report: JourneyReport): string => {
  const { lift } = report;
  const interval =
    lift.interval === null ? '–' : `${percent(lift.interval.lower)} to ${percent(lift.interval.upper)}`;
  return `lift ${percent(lift.absolute)} (relative ${percent(lift.relative)}), ${Math.round(report.confidence * 100)}% interval ${interval}${lift.significant ? ', significant' : ''}`;
};

const groupRow = (name: string, group: JourneyReport['treatment'], amount: (value: number) => string) => ({
  group: name,
  members: String(group.members),
  conversions: String(group.conversions),
  rate: percent(group.conversionRate),
  revenue: amount(group.revenue),
  'per member': group.revenuePerMember === null ? '–' : amount(group.revenuePerMember),
});

/**
 * The answer of `GET /admin/campaigns/{id}/report`: its mail per variant and in
 * total, skips and deferrals by reason, the goal's treatment against control
 * with the lift, and attributed orders by medium. Anything else prints as JSON.
 */
export const campaignReportText = (data: unknown): TerminalText => {
  const parsed = CampaignReport.safeParse(data);
  if (!parsed.success) return terminalJson(data);
  const report = parsed.data;
  const { currency, total } = report;
  // Tables show amounts; the lines name the currency.
  const amount = (value: number) => amountText(value, currency);
  const blocks: Array<TerminalText | string> = [
    terminal`${report.campaignId} (${report.name}): ${report.status}, launched ${report.launchedAt}; ${report.from} to ${report.to}${report.winner === null ? '' : terminal`; winner ${report.winner}`}`,
    formatTable([
      ...report.variants.map((variant) => mailRow(variant.variant, variant, amount)),
      mailRow('total', total, amount),
    ]),
    terminalLines([
      terminal`skipped: ${reasons(total.skipped)}`,
      terminal`deferred: ${reasons(total.deferred)}`,
    ]),
  ];
  const goal = report.goal;
  if (goal !== null) {
    blocks.push(
      terminalLines([
        terminal`Goal: ${goal.event} within ${goal.within} of the send (the control group from its would-be send)`,
        formatTable([
          groupRow('treatment', goal.holdout.treatment, amount),
          ...goal.variants.map((variant) =>
            groupRow(`  ${variant.variant}`, variant.holdout.treatment, amount),
          ),
          groupRow('control', goal.holdout.control, amount),
        ]),
        terminal`treatment against control: ${liftText(goal.holdout)}`,
        ...goal.variants.map(
          (variant) => terminal`${variant.variant} against control: ${liftText(variant.holdout)}`,
        ),
      ]),
    );
  }
  blocks.push(
    terminalLines([
      terminal`Attributed orders by medium (last click on the campaign's mail; the customer's signup utm_medium)`,
      formatTable(
        total.attributed.byMedium.map((row) => ({
          medium: row.medium ?? '(none)',
          orders: String(row.orders),
          revenue: amount(row.revenue),
        })),
      ),
      terminal`total: ${total.attributed.orders} orders, revenue ${moneyText(total.attributed.revenue, currency)}`,
    ]),
  );
  return terminalLines(blocks, '\n\n');
};
