import { type AuditEntry, AuditPage } from '../domain/audit-entry.js';
import type { AdminClient } from './admin-client.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

/** What `rapport audit` needs from the command line around it. */
export interface AuditContext {
  api: () => AdminClient;
  print: (text: TerminalText) => void;
  json: boolean;
  /** `--limit`: entries a page. */
  limit?: string;
  /** `--after`: where a previous page ended (its `next`). */
  after?: string;
  /** `--all`: every page, to the oldest entry. */
  all: boolean;
}

const versionsText = (entry: AuditEntry): string =>
  entry.versionBefore === undefined && entry.versionAfter === undefined
    ? ''
    : `${entry.versionBefore ?? '?'} → ${entry.versionAfter ?? '?'}`;

/** The log as a table, newest first, and how to read on when there is more. */
export const auditText = (page: AuditPage): TerminalText => {
  if (page.entries.length === 0) return terminal`no changes recorded`;
  // Why Rapport acted on its own (a pause of marketing email); people's changes carry none.
  const withCause = page.entries.some((entry) => entry.cause !== undefined);
  const table = formatTable(
    page.entries.map((entry) => ({
      at: entry.at,
      actor: entry.actor.id,
      role: entry.actor.role,
      change: `${entry.method} ${entry.route}`,
      target: Object.entries(entry.target)
        .map(([name, value]) => `${name}=${value}`)
        .join(' '),
      status: String(entry.status),
      versions: versionsText(entry),
      ...(withCause ? { cause: entry.cause ?? '' } : {}),
    })),
  );
  return page.next === null
    ? table
    : terminalLines([table, terminal`older entries: rapport audit --after ${page.next}`], '\n\n');
};

/** `rapport audit [--limit <n>] [--after <cursor>] [--all]`: who changed what, newest first. */
export const auditCommand = async (context: AuditContext): Promise<number> => {
  const entries: AuditPage['entries'] = [];
  let after = context.after;
  let page: AuditPage;
  do {
    const query = new URLSearchParams({
      ...(context.limit === undefined ? {} : { limit: context.limit }),
      ...(after === undefined ? {} : { after }),
    }).toString();
    page = AuditPage.parse(await context.api()('GET', `/admin/audit${query === '' ? '' : `?${query}`}`));
    entries.push(...page.entries);
    after = page.next ?? undefined;
  } while (context.all && page.next !== null);
  const shown: AuditPage = { entries, next: page.next };
  context.print(context.json ? terminalJson(shown) : auditText(shown));
  return 0;
};
