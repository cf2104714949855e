import { z } from 'zod';
import { session } from './session.js';

/** An answer other than 2xx: its status, message and the fields it names. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ErrorFields = z.object({
  message: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
});
/** The API's `{ error: { message, fields } }`, or API Gateway's own `{ message }` (a refused authorizer). */
const ErrorBody = ErrorFields.extend({ error: ErrorFields.optional() }).transform(({ error, ...top }) => ({
  message: error?.message ?? top.message,
  fields: error?.fields ?? top.fields,
}));

/** Where the admin API is: the same origin, at the root locally and under /api in the cloud. */
let apiBase = '';
export const useApiBase = (base: string): void => {
  apiBase = base.replace(/\/+$/, '');
};

/**
 * Calls the admin API with the session's token and reads the answer with the
 * domain's own schema, so a console page sees exactly what the API promises.
 */
export const adminApi = async <T>(
  schema: z.ZodType<T>,
  method: string,
  path: string,
  body?: unknown,
  token = session.token(),
): Promise<T> => {
  // A Blob (a CSV file) goes as it is, with its own type; anything else as JSON.
  const raw = body instanceof Blob;
  const response = await fetch(`${apiBase}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text === '' ? {} : JSON.parse(text);
  if (!response.ok) {
    const error = ErrorBody.safeParse(json);
    throw new AdminApiError(
      response.status,
      (error.success ? error.data.message : undefined) ?? `${method} ${path} answered ${response.status}`,
      (error.success ? error.data.fields : undefined) ?? {},
    );
  }
  return schema.parse(json);
};

/** An answer whose body the page does not read. */
export const Anything = z.unknown();
