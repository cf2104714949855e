import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ContactList, type ContactSummary } from '../domain/contact-listing.js';
import type { AdminClient } from './admin-client.js';
import { moneyText } from './money-text.js';
import { requiredArgument } from './required-argument.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

export interface ContactsOptions {
  json?: boolean;
  out?: string;
  yes?: boolean;
  /** `contacts list` filters and paging. */
  segment?: string;
  q?: string;
  topic?: string;
  consent?: string;
  tier?: string;
  limit?: string;
  all?: boolean;
}

/** The list as a table: one contact a row, money in major units as the API answers it. */
export const formatContactList = (contacts: readonly ContactSummary[], more: boolean): TerminalText => {
  const table = formatTable(
    contacts.map((contact) => ({
      id: contact.id,
      email: contact.email,
      name: contact.name,
      consent: contact.consent.email.status,
      topics: contact.topics.join(', '),
      tier: contact.customer?.tier,
      orders: contact.customer?.orders,
      revenue:
        contact.customer === undefined
          ? undefined
          : moneyText(contact.customer.revenue, contact.customer.currency),
      'last purchase': contact.customer?.lastPurchaseAt,
    })),
    ['id', 'email', 'name', 'consent', 'topics', 'tier', 'orders', 'revenue', 'last purchase'],
  );
  return more
    ? terminalLines([table, `${contacts.length} shown; there are more: --all lists every one`])
    : table;
};

/** The parts of `GET /admin/contacts…` the card shows; anything else in the answer is ignored. */
const Card = z.object({
  contact: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().optional(),
    phone: z.string().optional(),
    externalId: z.string().optional(),
    timeZone: z.string().optional(),
    consent: z.object({
      email: z.object({ status: z.string(), changedAt: z.string() }),
      sms: z.object({ status: z.string(), changedAt: z.string() }),
    }),
    topics: z.array(z.string()),
    pendingTopics: z.array(z.string()),
    customer: z
      .object({
        orders: z.number(),
        revenue: z.number(),
        averageOrderValue: z.number(),
        currency: z.string().optional(),
        firstPurchaseAt: z.string().optional(),
        lastPurchaseAt: z.string().optional(),
        tier: z.string().optional(),
        rfm: z.object({ segment: z.string() }).optional(),
        predictedClv: z.number().optional(),
        churnRisk: z.number().optional(),
        refunds: z.number().optional(),
        categories: z.record(z.string(), z.number()).optional(),
        ownedProducts: z.array(z.unknown()).optional(),
      })
      .optional(),
    lastEngagedAt: z.string().optional(),
    createdAt: z.string(),
  }),
  suppressed: z.boolean(),
  consentLog: z.array(z.unknown()),
  enrollments: z.array(
    z.object({
      id: z.string(),
      journeyId: z.string(),
      journeyVersion: z.number(),
      status: z.string(),
      currentNode: z.string().optional(),
      enteredAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
});
type Card = z.infer<typeof Card>;

const Erasure = z.object({
  contactId: z.string(),
  status: z.string(),
  erasedAt: z.string().optional(),
  removed: z.record(z.string(), z.number()),
  suppressedByHash: z.array(z.string()),
});

/** `label  value` lines, values aligned; empty values are left out. */
const section = (
  title: TerminalText,
  rows: ReadonlyArray<readonly [string, string | undefined]>,
): TerminalText => {
  const shown = rows.filter((row): row is readonly [string, string] => row[1] !== undefined && row[1] !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return terminalLines([
    title,
    ...shown.map(([label, value]) => terminal`  ${label.padEnd(width)}  ${value}`),
  ]);
};

export const formatCard = (card: Card): TerminalText => {
  const { contact } = card;
  const parts = [
    section(terminal`Contact ${contact.id}`, [
      ['email', contact.email],
      ['name', contact.name],
      ['phone', contact.phone],
      ['user id', contact.externalId],
      ['time zone', contact.timeZone],
      ['created', contact.createdAt],
    ]),
    section(terminal`Consent`, [
      [
        'email',
        `${contact.consent.email.status} since ${contact.consent.email.changedAt}${card.suppressed ? ' (suppressed)' : ''}`,
      ],
      ['sms', `${contact.consent.sms.status} since ${contact.consent.sms.changedAt}`],
      ['topics', contact.topics.join(', ') || '(none)'],
      ['asked for', contact.pendingTopics.join(', ')],
      ['log entries', String(card.consentLog.length)],
      ['last engaged', contact.lastEngagedAt ?? 'not recorded'],
    ]),
  ];
  const customer = contact.customer;
  if (customer !== undefined) {
    parts.push(
      section(terminal`Customer`, [
        ['orders', String(customer.orders)],
        ['revenue', moneyText(customer.revenue, customer.currency)],
        ['average order', moneyText(customer.averageOrderValue, customer.currency)],
        ['refunds', customer.refunds === undefined ? undefined : String(customer.refunds)],
        ['first purchase', customer.firstPurchaseAt],
        ['last purchase', customer.lastPurchaseAt],
        ['tier', customer.tier],
        ['RFM', customer.rfm?.segment],
        [
          'predicted CLV',
          customer.predictedClv === undefined
            ? undefined
            : moneyText(customer.predictedClv, customer.currency),
        ],
        ['churn risk', customer.churnRisk?.toFixed(2)],
        [
          'categories',
          Object.entries(customer.categories ?? {})
            .map(([category, units]) => `${category} (${units})`)
            .join(', '),
        ],
        [
          'owned products',
          customer.ownedProducts === undefined ? undefined : String(customer.ownedProducts.length),
        ],
      ]),
    );
  }
  parts.push(
    terminal`Enrollments\n${formatTable(
      card.enrollments.map((enrollment) => ({
        journey: enrollment.journeyId,
        version: enrollment.journeyVersion,
        status: enrollment.status,
        node: enrollment.currentNode,
        entered: enrollment.enteredAt,
        updated: enrollment.updatedAt,
      })),
      ['journey', 'version', 'status', 'node', 'entered', 'updated'],
    )}`,
  );
  return terminalLines(parts, '\n\n');
};

/** How many items of each kind an export holds, for the line printed after writing it to a file. */
const exportSummary = (data: unknown): string => {
  if (typeof data !== 'object' || data === null) return '';
  return Object.entries(data)
    .flatMap(([group, items]) => (Array.isArray(items) ? [`${group} ${items.length}`] : []))
    .join(', ');
};

export interface ContactsCli {
  print(text: TerminalText): void;
  api(): AdminClient;
  /** The CLI's usage error, so a bad command line is reported like any other. */
  usageError(message: string): Error;
}

/** `rapport contacts list|get|export|delete …`; returns the exit code. */
export const contactsCommand = async (
  command: string | undefined,
  rest: readonly string[],
  options: ContactsOptions,
  cli: ContactsCli,
): Promise<number> => {
  const encode = encodeURIComponent;
  const one = (what: string): string => requiredArgument(rest, what, (message) => cli.usageError(message));
  switch (command) {
    case 'list': {
      const filters = (['segment', 'q', 'topic', 'consent', 'tier', 'limit'] as const).flatMap((name) => {
        const value = options[name];
        return value === undefined ? [] : [`${name}=${encode(value)}`];
      });
      const contacts: ContactSummary[] = [];
      let next: string | undefined;
      let answer: unknown;
      do {
        const query = [...filters, ...(next === undefined ? [] : [`after=${encode(next)}`])].join('&');
        answer = await cli.api()('GET', `/admin/contacts${query === '' ? '' : `?${query}`}`);
        const page = ContactList.parse(answer);
        contacts.push(...page.contacts);
        next = page.next;
      } while (options.all === true && next !== undefined);
      if (options.json) {
        cli.print(terminalJson(options.all === true ? { contacts } : answer));
        return 0;
      }
      cli.print(formatContactList(contacts, next !== undefined));
      return 0;
    }
    case 'get': {
      const key = one('contact id or email address');
      const data = await cli.api()(
        'GET',
        key.includes('@') ? `/admin/contacts?email=${encode(key)}` : `/admin/contacts/${encode(key)}`,
      );
      cli.print(options.json ? terminalJson(data) : formatCard(Card.parse(data)));
      return 0;
    }
    case 'export': {
      const id = one('contact id');
      const data = await cli.api()('GET', `/admin/contacts/${encode(id)}/export`);
      if (options.out === undefined) {
        cli.print(terminalJson(data));
        return 0;
      }
      await writeFile(options.out, `${JSON.stringify(data, null, 2)}\n`);
      cli.print(terminal`export of ${id} written to ${options.out}: ${exportSummary(data)}`);
      return 0;
    }
    case 'delete': {
      const id = one('contact id');
      if (options.yes !== true) {
        throw cli.usageError(
          `erasing a contact cannot be undone; run again with --yes to erase ${id} and everything held about it`,
        );
      }
      const data = await cli.api()('DELETE', `/admin/contacts/${encode(id)}`);
      if (options.json) {
        cli.print(terminalJson(data));
        return 0;
      }
      const erasure = Erasure.parse(data);
      cli.print(
        terminalLines([
          `erased ${erasure.contactId}${erasure.erasedAt === undefined ? '' : ` at ${erasure.erasedAt}`}`,
          formatTable(
            Object.entries(erasure.removed).map(([kind, count]) => ({ removed: kind, items: count })),
            ['removed', 'items'],
          ),
          `suppressed from now on by hash only: ${erasure.suppressedByHash.join(', ') || '(none)'}`,
        ]),
      );
      return 0;
    }
    default:
      throw cli.usageError(`unknown command "contacts ${command ?? ''}"`);
  }
};
