import { z } from 'zod';
import { OrdersBySource, type OrderTally } from '../domain/orders-by-source.js';
import type { AdminClient } from './admin-client.js';
import { deliverabilityText } from './deliverability-report-text.js';
import { amountText, moneyText } from './money-text.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

/** What `rapport reports …` needs from the command line around it. */
export interface ReportsContext {
  api: () => AdminClient;
  show: (data: unknown, table: () => TerminalText) => void;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
  from?: string;
  to?: string;
  /** `reports deliverability`: how many days back, today included. */
  days?: string;
}

const OrdersBySourceAnswer = OrdersBySource.extend({ from: z.string(), to: z.string() });

const none = (value: string | null): string => value ?? '(none)';

const tally = (row: OrderTally, amount: (value: number) => string) => ({
  orders: String(row.orders),
  customers: String(row.customers),
  revenue: amount(row.revenue),
  refunded: amount(row.refunded),
});

/** The answer of `GET /admin/reports/orders-by-source` as two tables and a total line. */
export const ordersBySourceText = (data: unknown): TerminalText => {
  const parsed = OrdersBySourceAnswer.safeParse(data);
  if (!parsed.success) return terminalJson(data);
  const report = parsed.data;
  const { totals, currency } = report;
  // The tables show the amounts; the total line names the currency.
  const amount = (value: number) => amountText(value, currency);
  return terminalLines(
    [
      terminal`Orders by acquisition, ${report.from} to ${report.to} (net of refunds; the signup's utm_medium, utm_source, utm_campaign)`,
      formatTable(
        report.bySource.map((row) => ({
          medium: none(row.medium),
          source: none(row.source),
          campaign: none(row.campaign),
          ...tally(row, amount),
        })),
      ),
      terminal`Orders by journey (the last click on a journey's mail within the attribution window)`,
      formatTable(report.byJourney.map((row) => ({ journey: none(row.journeyId), ...tally(row, amount) }))),
      terminal`total: ${totals.orders} orders, ${totals.customers} customers, revenue ${moneyText(totals.revenue, currency)}, refunded ${moneyText(totals.refunded, currency)}`,
    ],
    '\n\n',
  );
};

export const reportsCommand = async (
  command: string | undefined,
  context: ReportsContext,
): Promise<number> => {
  switch (command) {
    case 'orders-by-source': {
      const query = new URLSearchParams({
        ...(context.from === undefined ? {} : { from: context.from }),
        ...(context.to === undefined ? {} : { to: context.to }),
      });
      const data = await context.api()('GET', `/admin/reports/orders-by-source?${query}`);
      context.show(data, () => ordersBySourceText(data));
      return 0;
    }
    case 'deliverability': {
      const query = new URLSearchParams(context.days === undefined ? {} : { days: context.days });
      const data = await context.api()('GET', `/admin/deliverability?${query}`);
      context.show(data, () => deliverabilityText(data));
      return 0;
    }
    default:
      throw context.usage(`unknown command "reports ${command ?? ''}"`);
  }
};
