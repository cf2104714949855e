import { z } from 'zod';

/**
 * A customer's order history as value models read it: one row per
 * transaction, with its day and amount. Several rows on the same
 * customer-day are one purchase (repeat-summary.ts sums them).
 */
export const OrderRow = z.object({
  customerId: z.string().min(1),
  /** The day of the order, `YYYY-MM-DD`. */
  date: z.iso.date(),
  /** Any currency unit, so long as every row uses the same one; refunds are netted before, never negative. */
  amount: z.number().min(0),
});
export type OrderRow = z.infer<typeof OrderRow>;

/** The CSV's columns, as the header must name them (in any order; other columns are ignored). */
export const orderHistoryColumns = ['customer_id', 'date', 'amount'] as const;
type OrderHistoryColumn = (typeof orderHistoryColumns)[number];

/** An order-history file that cannot be read: `line` is 1-based, `field` the column (or `header`, `row`). */
export class OrderHistoryError extends Error {
  override readonly name = 'OrderHistoryError';
  constructor(
    readonly line: number,
    readonly field: OrderHistoryColumn | 'header' | 'row',
    readonly problem: string,
  ) {
    super(`line ${line}, ${field}: ${problem}`);
  }
}

// A decimal, optionally signed, with an optional exponent: what spreadsheets and
// databases write. `Number()` alone would also take '', ' ', '0x1A' and 'Infinity'.
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// Ids, dates and amounts never need quoting, so a quoted field is unwrapped and
// any other quote is refused: that keeps line numbers exact (a record is a line),
// which a general CSV parser's quoted line breaks would not.
const unquote = (field: string): string | undefined => {
  const trimmed = field.trim();
  const inner =
    trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  return inner.includes('"') ? undefined : inner;
};

const fieldsOf = (text: string, line: number): string[] =>
  text.split(',').map((field) => {
    const value = unquote(field);
    if (value === undefined) {
      throw new OrderHistoryError(
        line,
        'row',
        'has a quote inside a field; ids, dates and amounts need none',
      );
    }
    return value;
  });

const columnPositions = (header: string[]): Record<OrderHistoryColumn, number> => {
  const names = header.map((name) => name.toLowerCase());
  const position = (column: OrderHistoryColumn): number => {
    const at = names.indexOf(column);
    if (at < 0) {
      throw new OrderHistoryError(
        1,
        'header',
        `has no ${column} column; the header must name ${orderHistoryColumns.join(', ')}`,
      );
    }
    if (names.indexOf(column, at + 1) >= 0) throw new OrderHistoryError(1, 'header', `names ${column} twice`);
    return at;
  };
  return { customer_id: position('customer_id'), date: position('date'), amount: position('amount') };
};

const IsoDay = z.iso.date();
const isCalendarDate = (value: string): boolean => IsoDay.safeParse(value).success;

/**
 * Reads a `customer_id,date,amount` CSV (header required, columns in any
 * order, blank lines skipped, a byte-order mark and CRLF line ends
 * accepted). Throws OrderHistoryError naming the line and the field of the
 * first problem: a missing column, a row with the wrong number of fields, an
 * empty customer id, a date that is not a `YYYY-MM-DD` calendar day, an
 * amount that is not a non-negative decimal number.
 */
export const parseOrderHistory = (text: string): OrderRow[] => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const [headerLine] = lines;
  if (headerLine === undefined || headerLine.trim() === '') {
    throw new OrderHistoryError(
      1,
      'header',
      `is missing; the first line must name ${orderHistoryColumns.join(', ')}`,
    );
  }
  const header = fieldsOf(headerLine, 1);
  const at = columnPositions(header);
  const rows: OrderRow[] = [];
  for (const [index, content] of lines.entries()) {
    if (index === 0 || content.trim() === '') continue;
    const line = index + 1;
    const fields = fieldsOf(content, line);
    if (fields.length !== header.length) {
      throw new OrderHistoryError(
        line,
        'row',
        `has ${fields.length} fields where the header has ${header.length}`,
      );
    }
    const customerId = fields[at.customer_id] ?? '';
    const date = fields[at.date] ?? '';
    const amountText = fields[at.amount] ?? '';
    if (customerId === '') throw new OrderHistoryError(line, 'customer_id', 'is empty');
    if (!isCalendarDate(date)) {
      throw new OrderHistoryError(line, 'date', `"${date}" is not a calendar day written YYYY-MM-DD`);
    }
    const amount = Number(amountText);
    if (!decimalPattern.test(amountText) || !Number.isFinite(amount)) {
      throw new OrderHistoryError(line, 'amount', `"${amountText}" is not a decimal number`);
    }
    if (amount < 0) {
      throw new OrderHistoryError(
        line,
        'amount',
        `is ${amountText}; refunds are netted before export, so it must be ≥ 0`,
      );
    }
    rows.push({ customerId, date, amount });
  }
  return rows;
};
