import { validateSegment } from '../app/manage-segments.js';
import { isRecord } from '../domain/is-record.js';
import { AdminApiError, type AdminClient } from './admin-client.js';
import { readDefinitionFile } from './definition-file.js';
import { requiredArgument } from './required-argument.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';
import { valueText as text } from './value-text.js';

/** What `rapport segments …` needs from the command line around it. */
export interface SegmentsContext {
  api: () => AdminClient;
  show: (data: unknown, table: () => TerminalText) => void;
  print: (text: TerminalText) => void;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
  /** `--wait`: `count` follows the count until it is done. */
  wait: boolean;
  /** `--json`: no progress lines, only the answer. */
  json: boolean;
  /** Between two looks at a running count; the tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const pollEveryMs = 2_000;

const number = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** `GET /admin/segments` as a table, one segment a row. */
export const segmentsTable = (data: unknown): TerminalText => {
  const segments = isRecord(data) && Array.isArray(data.segments) ? data.segments.filter(isRecord) : [];
  if (segments.length === 0) return terminal`no segments`;
  return formatTable(
    segments.map((segment) => ({
      id: text(segment.id),
      name: text(segment.name),
      live: segment.live === true ? 'yes' : 'no',
      version: text(segment.version),
      updated: text(segment.updatedAt),
    })),
  );
};

/** One count, as `GET /admin/segments/{id}/count` answers it: where it got, what it found, a few members. */
export const segmentCountText = (data: unknown): TerminalText => {
  const segmentId = isRecord(data) ? text(data.segmentId) : '';
  const count = isRecord(data) && isRecord(data.count) ? data.count : undefined;
  if (count === undefined)
    return terminal`${segmentId}: not counted yet; count it with: rapport segments count ${segmentId}`;
  const members = number(count.members).toLocaleString('en');
  const seen = number(count.seen).toLocaleString('en');
  const sample = Array.isArray(count.sample) ? count.sample.filter(isRecord) : [];
  const headline =
    count.status === 'failed'
      ? terminal`${segmentId}: the count failed after ${seen} contacts: ${text(count.error)}`
      : count.done === true
        ? terminal`${segmentId}: ${members} of ${seen} contacts (version ${text(count.version)}, dates from ${text(count.at)})`
        : terminal`${segmentId}: counting… ${members} members in the first ${seen} contacts (version ${text(count.version)})`;
  if (sample.length === 0) return headline;
  return terminalLines([
    headline,
    terminal`\n${count.done === true ? 'Some' : 'Some so far'}:`,
    formatTable(sample.map((member) => ({ contact: text(member.contactId), email: text(member.email) }))),
  ]);
};

/** A segment and its latest count. */
const segmentText = (segment: Record<string, unknown>, count: unknown): TerminalText =>
  terminalLines([
    terminal`${text(segment.id)}: ${text(segment.name)} (version ${text(segment.version)}${segment.live === true ? ', live' : ''})`,
    ...(segment.description === undefined ? [] : [terminal`${text(segment.description)}`]),
    terminal`condition:`,
    terminalJson(segment.condition),
    segmentCountText(count),
  ]);

const readSegmentFile = (file: string) => readDefinitionFile(file, (body) => validateSegment(body).problems);

const isNotFound = (error: unknown): boolean => error instanceof AdminApiError && error.status === 404;

/** `rapport segments list | get <id> | put <file> | validate <file> | delete <id> | count <id> [--wait]`. */
export const segmentsCommand = async (
  command: string | undefined,
  rest: readonly string[],
  context: SegmentsContext,
): Promise<number> => {
  const { api, show } = context;
  const one = (what: string): string => requiredArgument(rest, what, context.usage);
  const path = (id: string, suffix = '') => `/admin/segments/${encodeURIComponent(id)}${suffix}`;
  switch (command) {
    case 'list': {
      const data = await api()('GET', '/admin/segments');
      show(data, () => segmentsTable(data));
      return 0;
    }
    case 'get': {
      const id = one('segment id');
      const segment = await api()('GET', path(id));
      const count = await api()('GET', path(id, '/count'));
      show({ segment, count: isRecord(count) ? count.count : null }, () =>
        isRecord(segment) ? segmentText(segment, count) : terminalJson(segment),
      );
      return 0;
    }
    case 'validate': {
      const file = one('segment file');
      const read = await readSegmentFile(file);
      show({ file, valid: read.ok }, () => (read.ok ? terminal`✓ ${file}` : read.problems));
      return read.ok ? 0 : 1;
    }
    case 'put': {
      const file = one('segment file');
      const read = await readSegmentFile(file);
      if (!read.ok) {
        context.print(read.problems);
        return 1;
      }
      const id = text(read.body.id);
      // The file is what the marketer means now: it replaces whatever version is stored, unless it names one.
      let version = read.body.version;
      if (version === undefined) {
        const current = await api()('GET', path(id)).catch((error: unknown) => {
          if (isNotFound(error)) return undefined;
          throw error;
        });
        version = isRecord(current) ? current.version : undefined;
      }
      const saved = await api()('PUT', path(id), {
        ...read.body,
        ...(version === undefined ? {} : { version }),
      });
      const segment = isRecord(saved) && isRecord(saved.segment) ? saved.segment : {};
      show(saved, () =>
        isRecord(saved) && saved.created === true
          ? terminal`created ${id} (from ${file}); count it with: rapport segments count ${id} --wait`
          : terminal`replaced ${id} (from ${file}), now version ${text(segment.version)}`,
      );
      return 0;
    }
    case 'delete': {
      const id = one('segment id');
      const data = await api()('DELETE', path(id));
      show(data, () => terminal`deleted ${id}`);
      return 0;
    }
    case 'count': {
      const id = one('segment id');
      const filed = await api()('POST', path(id, '/count'));
      if (!context.wait) {
        const job = isRecord(filed) && isRecord(filed.job) ? filed.job : {};
        show(
          filed,
          () =>
            terminal`counting ${id} as job ${text(job.id)}; see it with: rapport segments get ${id}, or count with --wait`,
        );
        return 0;
      }
      const sleep = context.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
      let seen = -1;
      for (;;) {
        const latest = await api()('GET', path(id, '/count'));
        const count = isRecord(latest) && isRecord(latest.count) ? latest.count : {};
        if (count.done === true) {
          show(latest, () => segmentCountText(latest));
          return count.status === 'failed' ? 1 : 0;
        }
        if (!context.json && number(count.seen) !== seen && count.seen !== undefined)
          context.print(segmentCountText(latest));
        seen = number(count.seen);
        await sleep(pollEveryMs);
      }
    }
    default:
      throw context.usage(`unknown command "segments ${command ?? ''}"`);
  }
};
