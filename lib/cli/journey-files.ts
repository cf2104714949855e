import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EmailTemplate } from '../domain/email-template.js';
import type { JourneyDefinition } from '../domain/journey-definition.js';
import { JourneyDefinition as JourneySchema, templatesUsed } from '../domain/journey-definition.js';

export interface Problem {
  path: string;
  message: string;
}

export type FileCheck<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const readYaml = async (file: string): Promise<FileCheck<unknown>> => {
  try {
    return { ok: true, value: parse(await readFile(file, 'utf8')) };
  } catch (error) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: error instanceof Error ? error.message : String(error) }],
    };
  }
};

/** The templates a local checkout has, by id; a file that is not a valid template is left out. */
export const localTemplates = async (folder: string): Promise<Map<string, EmailTemplate>> => {
  const templates = new Map<string, EmailTemplate>();
  for (const name of (await readdir(folder).catch(() => [])).filter((n) => n.endsWith('.yaml'))) {
    const parsed = EmailTemplate.safeParse(parse(await readFile(join(folder, name), 'utf8')));
    if (parsed.success) templates.set(parsed.data.id, parsed.data);
  }
  return templates;
};

/** The ids of the local templates, to check journeys against before pushing them. */
export const localTemplateIds = async (folder: string): Promise<Set<string>> =>
  new Set((await localTemplates(folder)).keys());

/** Reads and validates one journey file: the schema, the node graph, and that its templates exist. */
export const readJourneyFile = async (
  file: string,
  templateIds?: Set<string>,
): Promise<FileCheck<JourneyDefinition>> => {
  const raw = await readYaml(file);
  if (!raw.ok) return raw;
  const parsed = JourneySchema.safeParse(raw.value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(root)',
        message: issue.message,
      })),
    };
  }
  const unknown =
    templateIds === undefined
      ? []
      : templatesUsed(parsed.data).filter(({ template }) => !templateIds.has(template));
  if (unknown.length > 0) {
    return {
      ok: false,
      problems: unknown.map(({ template, path }) => ({ path, message: `unknown template "${template}"` })),
    };
  }
  return { ok: true, value: parsed.data };
};

export const readTemplateFile = async (file: string): Promise<FileCheck<EmailTemplate>> => {
  const raw = await readYaml(file);
  if (!raw.ok) return raw;
  const parsed = EmailTemplate.safeParse(raw.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : {
        ok: false,
        problems: parsed.error.issues.map((issue) => ({
          path: issue.path.join('.') || '(root)',
          message: issue.message,
        })),
      };
};
