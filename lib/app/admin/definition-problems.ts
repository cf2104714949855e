import type { z } from 'zod';
import type { TemplateStore } from '../../ports/template-store.js';
import { type Problem, problemsOf } from './problems.js';

/**
 * A definition submitted under an id in the path (a journey, a campaign): the
 * schema's problems, and its own id disagreeing with the path's.
 */
export const definitionProblems = <T extends { id: string }>(
  schema: z.ZodType<T>,
  kind: string,
  pathId: string,
  input: unknown,
): { definition: T | undefined; problems: Problem[] } => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { definition: undefined, problems: problemsOf(parsed.error) };
  if (parsed.data.id !== pathId)
    return {
      definition: undefined,
      problems: [{ path: 'id', message: `must be "${pathId}", the ${kind} id in the path` }],
    };
  return { definition: parsed.data, problems: [] };
};

/** Mail goes out with a template's latest published version, so a draft alone is not enough. */
export const templateProblem = async (
  templates: Pick<TemplateStore, 'get' | 'getDraft'>,
  templateId: string,
  path: string,
): Promise<Problem | undefined> => {
  if ((await templates.get(templateId)) !== undefined) return undefined;
  const draft = await templates.getDraft(templateId);
  return {
    path,
    message:
      draft === undefined
        ? `unknown template "${templateId}"`
        : `template "${templateId}" has a draft but no published version; publish it first`,
  };
};
