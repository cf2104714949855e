import {
  DeadLetter,
  DeadLetterList,
  type DeadLetterSummary,
  RedriveAnswer,
  type RedriveResult,
} from '../domain/dead-letter.js';
import type { AdminClient } from './admin-client.js';
import { requiredArgument } from './required-argument.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

/** What `rapport dead-letters …` needs from the command line around it. */
export interface DeadLettersContext {
  api: () => AdminClient;
  print: (text: TerminalText) => void;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
  json: boolean;
  /** `--id`: the one dead letter to redrive. */
  id?: string;
  /** `--all`: every page to list, every dead letter to redrive. */
  all: boolean;
  limit?: string;
  after?: string;
}

/** A reason in a table row: its first line, cut short; `show` prints the whole. */
const short = (text: string, width = 100): string => {
  const line = text.split('\n')[0] ?? '';
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
};

const listRow = (letter: DeadLetterSummary) => ({
  id: letter.id,
  at: letter.at,
  function: letter.functionName,
  subject: letter.subject ?? (letter.recordMissing === undefined ? '' : '(record not kept)'),
  redrives: String(letter.redrives),
  reason: short(letter.reason),
});

export const deadLettersText = (list: DeadLetterList): TerminalText => {
  if (list.deadLetters.length === 0) return terminal`no dead letters`;
  const table = formatTable(list.deadLetters.map(listRow));
  return list.next === null
    ? table
    : terminalLines([table, terminal`more: rapport dead-letters list --after ${list.next}`], '\n\n');
};

export const deadLetterText = (letter: DeadLetter): TerminalText =>
  terminalLines(
    [
      terminal`dead letter ${letter.id}, ${letter.at}`,
      terminal`function: ${letter.functionName} (redriven as ${letter.redriveAs})`,
      terminal`reason: ${letter.reason}`,
      terminal`redrives that failed: ${letter.redrives}${letter.lastRedrive === undefined ? '' : terminal`, the last at ${letter.lastRedrive.at}: ${letter.lastRedrive.error}`}`,
      letter.record === undefined
        ? terminal`record: not kept: ${letter.recordMissing ?? ''}`
        : terminalLines([terminal`record:`, terminalJson(letter.record)]),
    ],
    '\n',
  );

const resultRow = (result: RedriveResult) => ({
  id: result.id,
  function: result.functionName,
  outcome: result.outcome,
  error: short(result.error ?? ''),
});

export const redriveText = (results: readonly RedriveResult[]): TerminalText => {
  if (results.length === 0) return terminal`no dead letters to redrive`;
  const redriven = results.filter((result) => result.outcome === 'redriven').length;
  return terminalLines(
    [formatTable(results.map(resultRow)), terminal`${redriven} of ${results.length} redriven`],
    '\n\n',
  );
};

const list = async (context: DeadLettersContext): Promise<number> => {
  const deadLetters: DeadLetterSummary[] = [];
  let after = context.after;
  let page: DeadLetterList;
  do {
    const query = new URLSearchParams({
      ...(context.limit === undefined ? {} : { limit: context.limit }),
      ...(after === undefined ? {} : { after }),
    }).toString();
    page = DeadLetterList.parse(
      await context.api()('GET', `/admin/dead-letters${query === '' ? '' : `?${query}`}`),
    );
    deadLetters.push(...page.deadLetters);
    after = page.next ?? undefined;
  } while (context.all && page.next !== null);
  const shown: DeadLetterList = { deadLetters, next: page.next };
  context.print(context.json ? terminalJson(shown) : deadLettersText(shown));
  return 0;
};

/** Redrives one, or all of them: each answer for `all` says where the next request goes on. */
const redrive = async (context: DeadLettersContext): Promise<number> => {
  if ((context.id === undefined) === !context.all)
    throw context.usage('redrive takes --id <id> for one dead letter, or --all');
  const results: RedriveResult[] = [];
  let after: string | undefined;
  for (;;) {
    const body =
      context.id !== undefined
        ? { id: context.id }
        : { all: true, ...(after === undefined ? {} : { after }) };
    const answer = RedriveAnswer.parse(await context.api()('POST', '/admin/dead-letters/redrive', body));
    results.push(...answer.results);
    if (answer.next === null) break;
    after = answer.next;
  }
  context.print(context.json ? terminalJson({ results }) : redriveText(results));
  return results.every((result) => result.outcome === 'redriven' || result.outcome === 'gone') ? 0 : 1;
};

/**
 * `rapport dead-letters list [--limit <n>] [--after <id>] [--all]`, `show <id>`,
 * `redrive --id <id> | --all`: what failed for good, why, and handing it back.
 */
export const deadLettersCommand = async (
  command: string | undefined,
  rest: readonly string[],
  context: DeadLettersContext,
): Promise<number> => {
  switch (command) {
    case 'list':
      return list(context);
    case 'show': {
      const id = requiredArgument(rest, 'dead letter id', context.usage);
      const letter = DeadLetter.parse(
        await context.api()('GET', `/admin/dead-letters/${encodeURIComponent(id)}`),
      );
      context.print(context.json ? terminalJson(letter) : deadLetterText(letter));
      return 0;
    }
    case 'redrive':
      return redrive(context);
    default:
      throw context.usage(`unknown command "dead-letters ${command ?? ''}"`);
  }
};
