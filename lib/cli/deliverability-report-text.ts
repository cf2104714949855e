import {
  type DeliverabilityLevel,
  DeliverabilityReport,
  type MailingRates,
} from '../domain/deliverability-report.js';
import { EmailRates, percentText, type RateThresholds } from '../domain/reputation.js';
import type { SendingState } from '../domain/sending-state.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

const rate = (value: number | null): string => (value === null ? '–' : percentText(value));

/** A level beside rates resting on few sends says so, so nobody acts on one complaint in ten. */
const levelText = (level: DeliverabilityLevel, tooFewSends: boolean): string =>
  tooFewSends && level !== 'healthy' ? `${level} (few sends)` : level;

const rateColumns = (rates: EmailRates) => ({
  sent: String(rates.sent),
  delivered: String(rates.delivered),
  bounced: String(rates.bounced),
  complained: String(rates.complained),
  'bounce rate': rate(rates.bounceRate),
  'complaint rate': rate(rates.complaintRate),
});

const mailingRow = (mailing: MailingRates) => ({
  id: mailing.id,
  name: mailing.name,
  ...rateColumns(mailing),
  level: levelText(mailing.level, mailing.tooFewSends),
});

const thresholdText = (thresholds: RateThresholds): string =>
  `warning ${percentText(thresholds.warning)}, critical ${percentText(thresholds.critical)}`;

const sendingText = (sending: SendingState): TerminalText =>
  sending.status === 'paused'
    ? terminal`Marketing email: PAUSED since ${sending.pause.at} (${sending.pause.source}${sending.pause.by === undefined ? '' : terminal`, by ${sending.pause.by}`}): ${sending.pause.cause}
Resume with \`rapport sending resume\` once the cause is dealt with.`
    : terminal`Marketing email: active${sending.lastPause === undefined ? '' : terminal` (last paused ${sending.lastPause.at} for ${sending.lastPause.cause}; resumed ${sending.lastPause.resumedAt} by ${sending.lastPause.resumedBy})`}`;

/**
 * The answer of `GET /admin/deliverability`: the sending state, the window the
 * automatic pause judges, the rates of each day that had mail, and each journey
 * and campaign worst first. Anything else prints as JSON.
 */
export const deliverabilityText = (data: unknown): TerminalText => {
  const parsed = DeliverabilityReport.safeParse(data);
  if (!parsed.success) return terminalJson(data);
  const report = parsed.data;
  const { thresholds, window } = report;
  const activeDays = report.days.filter((day) => day.sent + day.delivered + day.bounced + day.complained > 0);
  return terminalLines(
    [
      terminal`Deliverability, ${report.from} to ${report.to} (Rapport's own rates from the SES events it receives)`,
      sendingText(report.sending),
      terminalLines([
        terminal`Window ${window.from} to ${window.to}: ${window.level}${window.tooFewSends ? terminal` (fewer than ${thresholds.minSends} sends: too few to act on)` : ''}`,
        terminal`  ${window.cause}`,
        terminal`Thresholds: bounce rate ${thresholdText(thresholds.bounceRate)}; complaint rate ${thresholdText(thresholds.complaintRate)}; judged over the last ${thresholds.windowDays} days, from ${thresholds.minSends} sends`,
      ]),
      terminalLines([
        terminal`Per day, all mail (days without mail left out)`,
        formatTable(
          activeDays.map((day) => ({
            day: day.day,
            ...rateColumns(day),
            level: levelText(day.level, day.tooFewSends),
          })),
        ),
        terminal`total: ${report.total.sent} sent, bounce rate ${rate(report.total.bounceRate)}, complaint rate ${rate(report.total.complaintRate)}`,
      ]),
      terminalLines([
        terminal`Journeys, worst first (by complaint rate, then bounce rate)`,
        formatTable(report.journeys.map(mailingRow)),
      ]),
      terminalLines([
        terminal`Campaigns, worst first (by complaint rate, then bounce rate)`,
        formatTable(report.campaigns.map(mailingRow)),
      ]),
    ],
    '\n\n',
  );
};

/** A journey report's mail: SES's counts and the two rates, on one line. */
export const journeyEmailText = (email: unknown): TerminalText => {
  const parsed = EmailRates.safeParse(email);
  if (!parsed.success) return terminalJson(email);
  const rates = parsed.data;
  return terminal`its mail (SES): ${rates.sent} sent, ${rates.delivered} delivered, ${rates.bounced} bounced (bounce rate ${rate(rates.bounceRate)}), ${rates.complained} complained (complaint rate ${rate(rates.complaintRate)})`;
};
