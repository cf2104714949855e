import type { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import type { Problem } from '../../domain/problem.js';

export type { Problem } from '../../domain/problem.js';

/** The root of the document, for problems that belong to no single field. */
export const rootPath = 'body';

export const problemsOf = (error: z.ZodError): Problem[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || rootPath,
    message: issue.message,
  }));

/** The project's error shape names each field once; several problems on one field are joined. */
export const fieldsOf = (problems: readonly Problem[]): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const { path, message } of problems) {
    const previous = fields[path];
    fields[path] = previous === undefined ? message : `${previous}; ${message}`;
  }
  return fields;
};

export const refuse = (problems: readonly Problem[], message: string): ValidationError =>
  new ValidationError(fieldsOf(problems), message);
