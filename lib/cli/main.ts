import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isRecord } from '../domain/is-record.js';
import type { AdminClient } from './admin-client.js';
import { AdminApiError, adminClient } from './admin-client.js';
import { auditCommand } from './audit-command.js';
import { campaignsCommand } from './campaigns-command.js';
import { categoriesTable } from './categories-text.js';
import { contactsCommand } from './contacts-command.js';
import { deadLettersCommand } from './dead-letters-command.js';
import { fileProblemsText } from './definition-file.js';
import { journeyEmailText } from './deliverability-report-text.js';
import type { Problem } from './journey-files.js';
import { localTemplateIds, readJourneyFile, readTemplateFile } from './journey-files.js';
import { ModelInputError, modelsFit, valueModelText } from './models-command.js';
import { amountText, moneyText } from './money-text.js';
import { productsCommand } from './products-command.js';
import { reportsCommand } from './reports-command.js';
import { requiredArgument } from './required-argument.js';
import { segmentsCommand } from './segments-command.js';
import { sendingStateText } from './sending-text.js';
import { simulateCommand } from './simulate-command.js';
import { formatTable } from './table.js';
import {
  type TerminalText,
  terminal,
  terminalJson,
  terminalLines,
  terminalParagraphs,
} from './terminal-text.js';

const usage = terminal`rapport — manage journeys and templates

  rapport journeys validate <file...>        check files: schema, nodes, templates (offline)
  rapport journeys simulate <file> [--contact <json|file>] [--events <json|file>] [--from <iso>] [--to <iso>]
  rapport journeys push <file...>            store as drafts
  rapport journeys publish <id>              publish the draft as a new version
  rapport journeys list | get <id> | versions <id>
  rapport journeys pause|resume|archive <id>
  rapport journeys migrate <id> --from <version> [--to <version>] [--map <old>=<new> ...]
                                             move running enrollments to another version
  rapport journeys report <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                             treatment vs holdout: conversions, revenue, lift with its interval
  rapport journeys jobs <id>                 migrations, archives and backfills, with progress
  rapport journeys stats <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  rapport templates push <file...>           store as drafts
  rapport templates publish <id>
  rapport templates preview <id> [--out preview.html]
  rapport contacts list [--segment <id>] [--q <text>] [--topic <t>] [--consent <status>] [--tier <t>]
                [--limit <n>] [--all]      contacts a page at a time (--all: every page); --q is the start
                                             of an email, or a contact or user id
  rapport contacts get <id|email>            the card: identity, consent, customer, enrollments
  rapport contacts export <id> [--out file.json]
                                             everything held about the person, as JSON
  rapport contacts delete <id> --yes         erase the person for good (refuses without --yes)
  rapport segments list | get <id>           saved audiences; get shows the latest count
  rapport segments validate <file>           check a segment file (offline)
  rapport segments put <file>                create or replace the segment a file defines
  rapport segments delete <id>
  rapport segments count <id> [--wait]       count its members (a background job); --wait follows it
  rapport campaigns list | get <id>          campaigns, their status and jobs
  rapport campaigns validate <file>          check a campaign file: schema (offline), segment and templates
  rapport campaigns put <file>               create or replace a draft campaign
  rapport campaigns launch|pause|resume|cancel <id>
                                             launch freezes the audience and queues every send slot
  rapport campaigns report <id>              its mail per variant, goal against control, attributed orders
  rapport products list | get <sku>         the catalog
  rapport products import <file.csv|file.json>
                                             store every good row; bad rows are listed by line
  rapport products publish <sku> [--at <iso>] launch it: contacts who buy in its category hear of it
  rapport products jobs <sku>                the launch's fan-out, with progress
  rapport reports orders-by-source [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                             orders, customers and revenue net of refunds, by the
                                             signup's UTM medium, source and campaign, and by journey
  rapport reports deliverability [--days N]  bounce and complaint rates per day, journey and campaign
                                             (30 days by default, at most 90), and whether marketing
                                             email is paused
  rapport deliverability check [--domain <domain>]
                                             the sending domain's SES account, DKIM, MAIL FROM and DMARC,
                                             line by line, with the records to add (asks SES and DNS itself)
  rapport sending [status]                   whether marketing email is sending or paused, and why
  rapport sending pause --cause <text>       hold every journey's and campaign's email (admin);
                                             confirmations still go out
  rapport sending resume                     let marketing email go again (admin)
  rapport categories                         every category: products, the catalog's replacement cycles
                                             and the cycle learned from purchases, with its support
  rapport models show                        which value model scores customers (fitted BG/NBD and
                                             Gamma-Gamma with their parameters, or the heuristic and why)
  rapport models fit --orders <file.csv> --as-of YYYY-MM-DD [--until YYYY-MM-DD] [--unit week|day]
                                             fit BG/NBD and Gamma-Gamma on an order history
                                             (customer_id,date,amount), offline; --until adds the
                                             holdout: predicted against actual repeat transactions
  rapport keys create <name> | list | revoke <key id>
                                             ingestion API keys (a new key is shown once)
  rapport audit [--limit <n>] [--after <cursor>] [--all]
                                             who changed what through the admin API, newest first
  rapport dead-letters list [--limit <n>] [--after <id>] [--all]
                                             what failed for good and why, oldest first
  rapport dead-letters show <id>             one dead letter with its record
  rapport dead-letters redrive --id <id> | --all
                                             hand it back to its function once the cause is fixed

Options:
  --api <url>      the API (RAPPORT_API_URL; default http://127.0.0.1:3000, the local stack)
  --token <token>  a local token (RAPPORT_ADMIN_TOKEN, npm start prints it; or a marketer or viewer token)
  --aws            sign requests with your AWS credentials (IAM auth of a deployed stack);
                   the region comes from AWS_REGION
  --templates <dir>  where validate and simulate read templates (default: templates)
  --json           print JSON instead of tables
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const options = {
  api: { type: 'string' },
  token: { type: 'string' },
  aws: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  templates: { type: 'string', default: 'templates' },
  contact: { type: 'string' },
  events: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  yes: { type: 'boolean', default: false },
  at: { type: 'string' },
  map: { type: 'string', multiple: true },
  wait: { type: 'boolean', default: false },
  segment: { type: 'string' },
  q: { type: 'string' },
  topic: { type: 'string' },
  consent: { type: 'string' },
  tier: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  id: { type: 'string' },
  all: { type: 'boolean', default: false },
  orders: { type: 'string' },
  'as-of': { type: 'string' },
  until: { type: 'string' },
  unit: { type: 'string' },
  days: { type: 'string' },
  cause: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

export interface Io {
  /** Only TerminalText: whatever the CLI prints has had its values escaped. */
  print(text: TerminalText): void;
  env: Record<string, string | undefined>;
}

const client = (values: Values, env: Io['env']): AdminClient =>
  adminClient({
    baseUrl: values.api ?? env.RAPPORT_API_URL ?? 'http://127.0.0.1:3000',
    ...((values.token ?? env.RAPPORT_ADMIN_TOKEN) === undefined
      ? {}
      : { token: values.token ?? env.RAPPORT_ADMIN_TOKEN }),
    ...(values.aws ? { awsRegion: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' } : {}),
  });

const one = (positionals: string[], what: string): string =>
  requiredArgument(positionals, what, (message) => new UsageError(message));

/** Runs one command line; returns the process exit code. */
export const runCli = async (argv: string[], io: Io): Promise<number> => {
  // It parses its own options (--domain), which the shared parser below would refuse.
  const areaAt = argv.findIndex((argument) => !argument.startsWith('-'));
  if (argv[areaAt] === 'deliverability')
    return (await import('./deliverability-command.js')).deliverabilityCommand(argv.toSpliced(areaAt, 1), {
      print: io.print,
      env: io.env,
      usage: (message) => new UsageError(message),
    });
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [area, command, ...rest] = positionals;
  if (values.help || area === undefined) {
    io.print(usage);
    return area === undefined && !values.help ? 2 : 0;
  }
  const show = (data: unknown, table: () => TerminalText) =>
    io.print(values.json ? terminalJson(data) : table());
  const api = () => client(values, io.env);
  const encode = encodeURIComponent;

  if (area === 'journeys') {
    switch (command) {
      case 'validate': {
        if (rest.length === 0) throw new UsageError('give one or more journey files');
        const templates = await localTemplateIds(values.templates);
        let failed = 0;
        const results: Array<{ file: string; valid: boolean; problems: Problem[] }> = [];
        for (const file of rest) {
          const check = await readJourneyFile(file, templates);
          results.push({ file, valid: check.ok, problems: check.ok ? [] : check.problems });
          if (!check.ok) failed += 1;
        }
        show(results, () =>
          terminalLines(
            results.map((r) => (r.valid ? terminal`✓ ${r.file}` : fileProblemsText(r.file, r.problems))),
          ),
        );
        return failed === 0 ? 0 : 1;
      }
      case 'simulate':
        return simulateCommand(one(rest, 'journey file'), values, io);
      case 'push': {
        if (rest.length === 0) throw new UsageError('give one or more journey files');
        for (const file of rest) {
          const check = await readJourneyFile(file);
          if (!check.ok) {
            io.print(fileProblemsText(file, check.problems));
            return 1;
          }
          await api()('PUT', `/admin/journeys/${encode(check.value.id)}/draft`, check.value);
          io.print(
            terminal`draft stored: ${check.value.id} (from ${file}); publish with: rapport journeys publish ${check.value.id}`,
          );
        }
        return 0;
      }
      case 'publish': {
        const id = one(rest, 'journey id');
        const published = await api()('POST', `/admin/journeys/${encode(id)}/publish`);
        show(published, () => terminal`published ${id}: ${JSON.stringify(published)}`);
        return 0;
      }
      case 'list': {
        const list = await api()('GET', '/admin/journeys');
        const rows = Array.isArray(list)
          ? list
          : isRecord(list) && Array.isArray(list.journeys)
            ? list.journeys
            : [];
        show(list, () => formatTable(rows.filter(isRecord)));
        return 0;
      }
      case 'get':
      case 'versions': {
        const id = one(rest, 'journey id');
        const data = await api()(
          'GET',
          `/admin/journeys/${encode(id)}${command === 'versions' ? '/versions' : ''}`,
        );
        const rows =
          isRecord(data) && Array.isArray(data.versions) ? data.versions.filter(isRecord) : undefined;
        show(data, () => (rows === undefined ? terminalJson(data) : formatTable(rows)));
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'archive': {
        const id = one(rest, 'journey id');
        const data = await api()('POST', `/admin/journeys/${encode(id)}/${command}`);
        show(data, () => terminal`${id}: ${command}d`);
        return 0;
      }
      case 'migrate': {
        const id = one(rest, 'journey id');
        const data = await api()('POST', `/admin/journeys/${encode(id)}/migrate`, migrationBody(values));
        show(data, () => migrationText(id, data));
        return 0;
      }
      case 'report': {
        const id = one(rest, 'journey id');
        const query = new URLSearchParams({
          ...(values.from === undefined ? {} : { from: values.from }),
          ...(values.to === undefined ? {} : { to: values.to }),
        });
        const data = await api()('GET', `/admin/journeys/${encode(id)}/report?${query}`);
        show(data, () => reportText(data));
        return 0;
      }
      case 'jobs': {
        const id = one(rest, 'journey id');
        const data = await api()('GET', `/admin/journeys/${encode(id)}/jobs`);
        show(data, () => jobsTable(data));
        return 0;
      }
      case 'stats': {
        const id = one(rest, 'journey id');
        const query = new URLSearchParams({
          ...(values.from === undefined ? {} : { from: values.from }),
          ...(values.to === undefined ? {} : { to: values.to }),
        });
        const data = await api()('GET', `/admin/journeys/${encode(id)}/stats?${query}`);
        show(data, () => statsTable(data));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "journeys ${command ?? ''}"`);
    }
  }
  if (area === 'keys') return keysCommand(command, rest, api, show);
  if (area === 'sending') {
    if (command === undefined || command === 'status') {
      const data = await api()('GET', '/admin/sending');
      show(data, () => sendingStateText(data));
      return 0;
    }
    if (command === 'pause') {
      if (values.cause === undefined)
        throw new UsageError('sending pause needs --cause "<why>", for whoever resumes it');
      const data = await api()('POST', '/admin/sending/pause', { cause: values.cause });
      show(data, () => sendingStateText(data));
      return 0;
    }
    if (command === 'resume') {
      const data = await api()('POST', '/admin/sending/resume', {});
      show(data, () => sendingStateText(data));
      return 0;
    }
    throw new UsageError(`unknown command "sending ${command}"; use sending status, pause or resume`);
  }
  if (area === 'categories') {
    if (command !== undefined && command !== 'list')
      throw new UsageError(`unknown command "categories ${command}"; use categories (or categories list)`);
    const data = await api()('GET', '/admin/categories');
    show(data, () => categoriesTable(data));
    return 0;
  }
  if (area === 'models') {
    if (command === 'show') {
      const data = await api()('GET', '/admin/customer-value');
      show(data, () => valueModelText(data));
      return 0;
    }
    if (command !== 'fit')
      throw new UsageError(`unknown command "models ${command ?? ''}"; use models fit or models show`);
    return modelsFit(
      {
        orders: values.orders,
        asOf: values['as-of'],
        until: values.until,
        unit: values.unit,
        json: values.json,
      },
      io.print,
      new Date(),
    );
  }
  if (area === 'dead-letters') {
    return deadLettersCommand(command, rest, {
      api,
      print: io.print,
      usage: (message) => new UsageError(message),
      json: values.json,
      all: values.all,
      ...(values.id === undefined ? {} : { id: values.id }),
      ...(values.limit === undefined ? {} : { limit: values.limit }),
      ...(values.after === undefined ? {} : { after: values.after }),
    });
  }
  if (area === 'audit') {
    if (command !== undefined) throw new UsageError(`"rapport audit" takes no command; got "${command}"`);
    return auditCommand({
      api,
      print: io.print,
      json: values.json,
      all: values.all,
      ...(values.limit === undefined ? {} : { limit: values.limit }),
      ...(values.after === undefined ? {} : { after: values.after }),
    });
  }
  if (area === 'campaigns') {
    return campaignsCommand(command, rest, {
      api,
      show,
      print: io.print,
      usage: (message) => new UsageError(message),
    });
  }
  if (area === 'segments') {
    return segmentsCommand(command, rest, {
      api,
      show,
      print: io.print,
      usage: (message) => new UsageError(message),
      wait: values.wait,
      json: values.json,
    });
  }
  if (area === 'reports') {
    return reportsCommand(command, {
      api,
      show,
      usage: (message) => new UsageError(message),
      ...(values.from === undefined ? {} : { from: values.from }),
      ...(values.to === undefined ? {} : { to: values.to }),
      ...(values.days === undefined ? {} : { days: values.days }),
    });
  }
  if (area === 'products') {
    return productsCommand(command, rest, {
      api,
      show,
      usage: (message) => new UsageError(message),
      ...(values.at === undefined ? {} : { at: values.at }),
    });
  }
  if (area === 'contacts') {
    return contactsCommand(command, rest, values, {
      print: io.print,
      api,
      usageError: (message) => new UsageError(message),
    });
  }
  if (area === 'templates') {
    switch (command) {
      case 'push': {
        if (rest.length === 0) throw new UsageError('give one or more template files');
        for (const file of rest) {
          const check = await readTemplateFile(file);
          if (!check.ok) {
            io.print(fileProblemsText(file, check.problems));
            return 1;
          }
          await api()('PUT', `/admin/templates/${encode(check.value.id)}/draft`, check.value);
          io.print(terminal`draft stored: ${check.value.id} (from ${file})`);
        }
        return 0;
      }
      case 'publish': {
        const id = one(rest, 'template id');
        const data = await api()('POST', `/admin/templates/${encode(id)}/publish`);
        show(data, () => terminal`published ${id}: ${JSON.stringify(data)}`);
        return 0;
      }
      case 'preview': {
        const id = one(rest, 'template id');
        const data = await api()('POST', `/admin/templates/${encode(id)}/preview`, {});
        if (values.out !== undefined && isRecord(data) && typeof data.html === 'string') {
          await writeFile(values.out, data.html);
        }
        show(data, () =>
          isRecord(data)
            ? terminal`subject: ${String(data.subject)}\n\n${terminalParagraphs(String(data.text))}${values.out === undefined ? '' : terminal`\n\nHTML written to ${values.out}`}`
            : terminalJson(data),
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command "templates ${command ?? ''}"`);
    }
  }
  throw new UsageError(
    `unknown area "${area}"; use journeys, templates, segments, campaigns, products, categories, contacts, reports, models, sending, deliverability, keys, audit or dead-letters`,
  );
};

/** One row per day, then one per node and day, for the per-node counters. */
const statsTable = (data: unknown): TerminalText => {
  const days = isRecord(data) && Array.isArray(data.days) ? data.days.filter(isRecord) : [];
  const totals = days.map((day) => ({ day: day.day, ...(isRecord(day.totals) ? day.totals : {}) }));
  const nodes = days.flatMap((day) =>
    Object.entries(isRecord(day.nodes) ? day.nodes : {}).map(([node, metrics]) => ({
      day: day.day,
      node,
      ...(isRecord(metrics) ? metrics : {}),
    })),
  );
  return terminal`${formatTable(totals)}\n\nPer node:\n${formatTable(nodes)}`;
};

export const main = async (argv: string[]): Promise<void> => {
  const io: Io = { print: (text) => console.log(text.toString()), env: process.env };
  // Error messages carry values too: the arguments, and whatever the API answered.
  const complain = (text: TerminalText) => console.error(text.toString());
  try {
    process.exitCode = await runCli(argv, io);
  } catch (error) {
    if (error instanceof ModelInputError) {
      complain(terminal`${error.message}`);
      process.exitCode = 1;
    } else if (error instanceof UsageError) {
      complain(terminal`${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof AdminApiError) {
      complain(terminal`${error.message}`);
      process.exitCode = 1;
    } else if (error instanceof TypeError && String(error.cause ?? '').includes('ECONNREFUSED')) {
      complain(terminal`cannot reach the API: is \`npm start\` running, or is --api right?`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
};

const wholeNumber = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a version number, not "${value}"`);
  return Number(value);
};

/** `--from 1 --to 2 --map pause=hold` as the API's request body. */
const migrationBody = (values: Values) => {
  const from = wholeNumber(values.from, '--from');
  if (from === undefined) throw new UsageError('give --from, the version whose enrollments move');
  const to = wholeNumber(values.to, '--to');
  const mapping: Record<string, string> = {};
  for (const pair of values.map ?? []) {
    const [old, next, ...extra] = pair.split('=');
    if (old === undefined || next === undefined || old === '' || next === '' || extra.length > 0)
      throw new UsageError(`--map takes <old node>=<new node>, not "${pair}"`);
    mapping[old] = next;
  }
  return { from, ...(to === undefined ? {} : { to }), mapping };
};

const migrationText = (id: string, data: unknown): TerminalText => {
  const job = isRecord(data) && isRecord(data.job) ? data.job : {};
  const mapping = isRecord(data) && isRecord(data.mapping) ? data.mapping : {};
  const pairs = Object.entries(mapping).map(([old, next]) => ({ from: old, to: String(next) }));
  return terminal`migration of ${id} queued as job ${String(job.id)}; follow it with: rapport journeys jobs ${id}\n${formatTable(pairs)}`;
};

const jobsTable = (data: unknown): TerminalText => {
  const jobs = isRecord(data) && Array.isArray(data.jobs) ? data.jobs.filter(isRecord) : [];
  if (jobs.length === 0) return terminal`no jobs`;
  return formatTable(
    jobs.map((job) => {
      const work = isRecord(job.work) ? job.work : {};
      const counts = isRecord(job.counts) ? job.counts : {};
      return {
        job: String(job.id),
        kind: String(work.kind),
        status: String(job.status),
        seen: String(counts.seen ?? 0),
        changed: String(counts.changed ?? 0),
        created: String(job.createdAt),
      };
    }),
  );
};

/** Ingestion API keys: the secret is printed once, at creation; lists show only a hint. */
const keysCommand = async (
  command: string | undefined,
  rest: string[],
  api: () => AdminClient,
  show: (data: unknown, table: () => TerminalText) => void,
): Promise<number> => {
  switch (command) {
    case 'create': {
      const name = rest.join(' ').trim();
      if (name === '') throw new UsageError('give the key a name, e.g. rapport keys create "shop backend"');
      const created = await api()('POST', '/admin/api-keys', { name });
      const key = isRecord(created) ? String(created.key) : '';
      show(
        created,
        () =>
          terminal`created key ${isRecord(created) ? String(created.keyId) : ''} (${name})\n\n  ${key}\n\nIt is shown only now: store it where the sender keeps secrets.`,
      );
      return 0;
    }
    case 'list': {
      const data = await api()('GET', '/admin/api-keys');
      const keys = isRecord(data) && Array.isArray(data.keys) ? data.keys.filter(isRecord) : [];
      show(data, () =>
        keys.length === 0
          ? terminal`no keys`
          : formatTable(
              keys.map((key) => ({
                id: String(key.keyId),
                name: String(key.name),
                ends: `…${String(key.hint)}`,
                created: String(key.createdAt),
                revoked: key.revokedAt === undefined ? '' : String(key.revokedAt),
              })),
            ),
      );
      return 0;
    }
    case 'revoke': {
      const id = one(rest, 'key id');
      const data = await api()('POST', `/admin/api-keys/${encodeURIComponent(id)}/revoke`);
      show(data, () => terminal`revoked ${id}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "keys ${command ?? ''}"`);
  }
};

const percent = (value: unknown): string =>
  typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : '–';

const reportText = (data: unknown): TerminalText => {
  if (!isRecord(data) || !isRecord(data.holdout)) return terminalJson(data);
  const { holdout } = data;
  const enrollments = isRecord(data.enrollments) ? data.enrollments : {};
  const currency = typeof data.currency === 'string' ? data.currency : undefined;
  const row = (name: 'treatment' | 'control', group: unknown) => {
    const g = isRecord(group) ? group : {};
    const entered = isRecord(enrollments[name]) ? enrollments[name].entered : undefined;
    return {
      group: name,
      members: String(g.members ?? 0),
      enrollments: String(entered ?? '–'),
      conversions: String(g.conversions ?? 0),
      rate: percent(g.conversionRate),
      revenue: amountText(typeof g.revenue === 'number' ? g.revenue : 0, currency),
      'per member': typeof g.revenuePerMember === 'number' ? amountText(g.revenuePerMember, currency) : '–',
    };
  };
  const lift = isRecord(holdout.lift) ? holdout.lift : {};
  const interval = isRecord(lift.interval)
    ? `${percent(lift.interval.lower)} to ${percent(lift.interval.upper)}`
    : '–';
  const attributed = isRecord(data.attributed) ? data.attributed : {};
  return terminalLines([
    `${String(data.journeyId)}: ${String(data.from)} to ${String(data.to)}`,
    formatTable([row('treatment', holdout.treatment), row('control', holdout.control)]),
    `lift: ${percent(lift.absolute)} (relative ${percent(lift.relative)}), ${Math.round(Number(holdout.confidence ?? 0.95) * 100)}% interval ${interval}${lift.significant === true ? ', significant' : ''}`,
    `attributed to its mail (last click): ${String(attributed.orders ?? 0)} orders, ${moneyText(typeof attributed.revenue === 'number' ? attributed.revenue : 0, currency)} revenue`,
    ...(isRecord(data.email) ? [journeyEmailText(data.email)] : []),
  ]);
};
