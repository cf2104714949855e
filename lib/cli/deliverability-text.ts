import type {
  CheckStatus,
  DeliverabilityCheckId,
  DeliverabilityCheckReport,
} from '../domain/deliverability-check.js';
import { type TerminalText, terminal, terminalLines } from './terminal-text.js';

const labels: Readonly<Record<DeliverabilityCheckId, string>> = {
  dns: 'DNS',
  ses: 'SES',
  'production-access': 'Production access',
  'sending-enabled': 'Sending',
  'send-quota': 'Quota',
  enforcement: 'Reputation',
  identity: 'Identity',
  dkim: 'DKIM',
  'dkim-records': 'DKIM records',
  'mail-from': 'MAIL FROM',
  'mail-from-mx': 'MAIL FROM MX',
  'mail-from-spf': 'MAIL FROM SPF',
  dmarc: 'DMARC',
  'dmarc-alignment': 'Alignment',
};

const marks: Readonly<Record<CheckStatus, string>> = { ok: '✓', warn: '!', fail: '✗' };

const width = Math.max(...Object.values(labels).map((label) => label.length)) + 2;

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/**
 * One line a check: ✓ right, ! to watch, ✗ to fix, with the fix (the record to add,
 * the command to run) indented under it. `source` says where the domain came from.
 */
export const deliverabilityText = (report: DeliverabilityCheckReport, source?: string): TerminalText => {
  const where = [report.region === null ? undefined : `SES in ${report.region}`, source].filter(
    (part) => part !== undefined,
  );
  const heading = terminal`Deliverability of ${report.domain}${where.length === 0 ? '' : terminal` (${where.join('; ')})`}`;
  const indent = ' '.repeat(width + 2);
  const lines = report.checks.map((check) =>
    terminalLines([
      terminal`${marks[check.status]} ${labels[check.id].padEnd(width)}${check.summary}`,
      ...(check.fix ?? '')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => terminal`${indent}${line}`),
    ]),
  );
  const fails = report.checks.filter((check) => check.status === 'fail').length;
  const warns = report.checks.filter((check) => check.status === 'warn').length;
  const closing =
    report.unreachable.length === 2
      ? terminal`No network: neither DNS nor SES answered. Run the check again once connected.`
      : fails === 0 && warns === 0
        ? terminal`Nothing to fix.`
        : terminal`${plural(fails, 'thing', 'things')} to fix, ${warns} to watch.`;
  return terminalLines([heading, terminalLines(lines), closing], '\n\n');
};
