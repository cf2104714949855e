import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { isRecord } from '../domain/is-record.js';
import type { Problem } from './journey-files.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal } from './terminal-text.js';

/** A file's problems under its name, one row each. */
export const fileProblemsText = (file: string, problems: readonly Problem[]): TerminalText =>
  terminal`✗ ${file}\n${formatTable(problems.map((p) => ({ path: p.path, problem: p.message })))}`;

export type DefinitionFile =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; problems: TerminalText };

/**
 * A definition file (YAML, or JSON, which YAML reads too) checked offline by
 * `problemsOf`, or what to print instead: a file that does not parse, or its
 * problems. What only the API can check (that what it names exists) is left to it.
 */
export const readDefinitionFile = async (
  file: string,
  problemsOf: (body: unknown) => readonly Problem[],
): Promise<DefinitionFile> => {
  let body: unknown;
  try {
    body = parse(await readFile(file, 'utf8'));
  } catch (error) {
    return {
      ok: false,
      problems: terminal`✗ ${file}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const problems = problemsOf(body);
  if (problems.length > 0) return { ok: false, problems: fileProblemsText(file, problems) };
  if (!isRecord(body))
    return { ok: false, problems: fileProblemsText(file, [{ path: 'body', message: 'must be an object' }]) };
  return { ok: true, body };
};
