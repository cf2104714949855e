import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ancestorsOf } from '../domain/category-path.js';
import { isRecord } from '../domain/is-record.js';
import { type AdminClient, RawBody } from './admin-client.js';
import { requiredArgument } from './required-argument.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson } from './terminal-text.js';
import { valueText as text } from './value-text.js';

/** What `rapport products …` needs from the command line around it. */
export interface ProductsContext {
  api: () => AdminClient;
  show: (data: unknown, table: () => TerminalText) => void;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
  /** `--at`: the launch time for `publish`; default now. */
  at?: string;
}

const productRow = (product: Record<string, unknown>) => ({
  sku: text(product.sku),
  name: text(product.name),
  category: text(product.category),
  price: `${text(product.price)} ${text(product.currency)}`.trim(),
  cycle: product.replacementCycleDays === undefined ? '' : `${text(product.replacementCycleDays)} d`,
  published: text(product.publishedAt),
});

/** Every page of the catalog, following `next`. */
const allProducts = async (api: AdminClient): Promise<Record<string, unknown>[]> => {
  const products: Record<string, unknown>[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '500', ...(after === undefined ? {} : { after }) });
    const page = await api('GET', `/admin/products?${query}`);
    if (!isRecord(page)) break;
    if (Array.isArray(page.products)) products.push(...page.products.filter(isRecord));
    after = typeof page.next === 'string' ? page.next : undefined;
  } while (after !== undefined);
  return products;
};

/** A CSV file goes as it is, so the API reports problems by the file's own line numbers. */
const importBody = async (file: string, context: ProductsContext): Promise<unknown> => {
  const content = await readFile(file, 'utf8');
  switch (extname(file).toLowerCase()) {
    case '.csv':
      return new RawBody('text/csv', content);
    case '.json':
      try {
        return JSON.parse(content);
      } catch (error) {
        throw context.usage(`${file} is not valid JSON: ${error instanceof Error ? error.message : ''}`);
      }
    default:
      throw context.usage(`import takes a .csv or a .json file, not ${file}`);
  }
};

const importText = (file: string, result: unknown): TerminalText => {
  if (!isRecord(result)) return terminalJson(result);
  const problems = Array.isArray(result.problems) ? result.problems.filter(isRecord) : [];
  const summary = terminal`${file}: ${text(result.received)} rows, ${text(result.created)} created, ${text(result.replaced)} replaced, ${problems.length} problems`;
  if (problems.length === 0) return summary;
  return terminal`${summary}\n${formatTable(
    problems.map((problem) => ({
      [problem.line === undefined ? 'index' : 'line']: text(problem.line ?? problem.index),
      sku: text(problem.sku),
      field: text(problem.field),
      problem: text(problem.message),
    })),
  )}`;
};

/** Who a launch reaches, as the fan-out decides it: buyers in the category and in each level above it. */
const audience = (category: string): string => {
  const above = ancestorsOf(category).slice(0, -1);
  const levels = above.map((level) => `"${level}"`).join(', ');
  return above.length === 0
    ? `contacts who buy in "${category}"`
    : `contacts who buy in "${category}" (or in ${levels} itself)`;
};

const jobsTable = (data: unknown): TerminalText => {
  const jobs = isRecord(data) && Array.isArray(data.jobs) ? data.jobs.filter(isRecord) : [];
  if (jobs.length === 0) return terminal`no fan-outs`;
  return formatTable(
    jobs.map((job) => {
      const counts = isRecord(job.counts) ? job.counts : {};
      return {
        job: text(job.id),
        status: text(job.status),
        contacts: text(counts.seen ?? 0),
        events: text(counts.changed ?? 0),
        created: text(job.createdAt),
        finished: text(job.finishedAt),
      };
    }),
  );
};

/** `rapport products list | get <sku> | import <file> | publish <sku> [--at <iso>] | jobs <sku>`. */
export const productsCommand = async (
  command: string | undefined,
  rest: readonly string[],
  context: ProductsContext,
): Promise<number> => {
  const { api, show } = context;
  const one = (what: string): string => requiredArgument(rest, what, context.usage);
  const path = (sku: string, suffix = '') => `/admin/products/${encodeURIComponent(sku)}${suffix}`;
  switch (command) {
    case 'list': {
      const products = await allProducts(api());
      show({ products }, () => formatTable(products.map(productRow)));
      return 0;
    }
    case 'get': {
      const data = await api()('GET', path(one('sku')));
      const product = isRecord(data) && isRecord(data.product) ? data.product : {};
      show(data, () =>
        formatTable(Object.entries(product).map(([field, value]) => ({ field, value: text(value) }))),
      );
      return 0;
    }
    case 'import': {
      const file = one('file (.csv or .json)');
      const result = await api()('POST', '/admin/products/import', await importBody(file, context));
      show(result, () => importText(file, result));
      const problems = isRecord(result) && Array.isArray(result.problems) ? result.problems.length : 0;
      return problems === 0 ? 0 : 1;
    }
    case 'publish': {
      const sku = one('sku');
      const data = await api()(
        'POST',
        path(sku, '/publish'),
        context.at === undefined ? {} : { publishedAt: context.at },
      );
      const product = isRecord(data) && isRecord(data.product) ? data.product : {};
      const job = isRecord(data) && isRecord(data.job) ? data.job : {};
      show(
        data,
        () =>
          terminal`published ${sku} at ${text(product.publishedAt)}; ${audience(text(product.category))} are told by job ${text(job.id)}\nfollow it with: rapport products jobs ${sku}`,
      );
      return 0;
    }
    case 'jobs': {
      const data = await api()('GET', path(one('sku'), '/jobs'));
      show(data, () => jobsTable(data));
      return 0;
    }
    default:
      throw context.usage(`unknown command "products ${command ?? ''}"`);
  }
};
