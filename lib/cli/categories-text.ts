import { CategoryList } from '../domain/category-cycles.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal } from './terminal-text.js';

const days = (value: number): string => `${Math.round(value)} d`;

/** `rapport categories`: one row per category level, learned cycles with their spread and support. */
export const categoriesTable = (data: unknown): TerminalText => {
  const parsed = CategoryList.safeParse(data);
  if (!parsed.success) return terminal`the API answered something that is not a category list`;
  const list = parsed.data;
  const rows = list.categories.map((row) => ({
    category: row.category,
    products: row.products,
    configured: row.configuredCycleDays.map(days).join(', '),
    learned: row.learned === undefined ? '' : days(row.learned.medianDays),
    'middle half':
      row.learned === undefined
        ? ''
        : `${days(row.learned.q1Days)} – ${row.learned.q3Days === undefined ? '?' : days(row.learned.q3Days)}`,
    support:
      row.learned === undefined
        ? ''
        : `${row.learned.customers} customers, ${row.learned.repeatIntervals} repeats`,
  }));
  const learnedWhen =
    list.learnedAt === undefined
      ? 'No cycles learned yet: the daily customer-value refresh learns them.'
      : `Learned ${list.learnedAt} from purchase history; an estimate needs ${list.minimum?.repeatCustomers ?? '?'} repeat customers and ${list.minimum?.repeatIntervals ?? '?'} repeat intervals.`;
  const products =
    list.products.length === 0
      ? terminal``
      : terminal`\n\nPer product:\n${formatTable(
          list.products.map((cycle) => ({
            sku: cycle.key,
            learned: days(cycle.medianDays),
            'middle half': `${days(cycle.q1Days)} – ${cycle.q3Days === undefined ? '?' : days(cycle.q3Days)}`,
            support: `${cycle.customers} customers, ${cycle.repeatIntervals} repeats`,
          })),
        )}`;
  return terminal`${formatTable(rows)}${products}\n\n${learnedWhen}`;
};
