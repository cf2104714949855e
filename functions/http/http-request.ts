import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AdminCaller } from '../../lib/domain/admin-role.js';
import { ValidationError } from '../../lib/domain/errors.js';

export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

export type FormValues = Record<string, string | string[]>;

/** The parts of an API Gateway proxy event a use case needs, decoded once. */
export interface HttpRequest {
  /** HEAD arrives as GET: see `decodeHttpRequest`. */
  method: string;
  /** On an admin route, who is calling and with which role, as the chain authorized them. */
  caller?: AdminCaller;
  /** The route's resource template as the gateway matched it, e.g. `/admin/journeys/{id}/draft`. */
  resource: string;
  /** The resource's `{name}` parameters, decoded by the gateway. */
  pathParameters: Record<string, string>;
  query: FormValues;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /**
   * A JSON value, form fields (repeated names become arrays), the text of a text
   * type the route accepts (a CSV file), or undefined when there was no body.
   */
  body: unknown;
  bodyKind: 'json' | 'form' | 'text' | 'none';
  /** The body's size as sent, for limits stated in bytes. */
  bodyBytes: number;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  referrer: string | undefined;
}

/**
 * Gathered in a Map and handed over as own properties, since a field or parameter may
 * be named `__proto__`: assigned to a plain object, it would replace the prototype.
 */
const collect = (entries: Iterable<[string, string]>): FormValues => {
  const values = new Map<string, string | string[]>();
  for (const [name, value] of entries) {
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : [previous, value].flat());
  }
  return Object.fromEntries(values);
};

const queryOf = (event: APIGatewayProxyEvent): FormValues => {
  const values = new Map<string, string | string[]>();
  for (const [name, list] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (list === undefined || list.length === 0) continue;
    values.set(name, list.length === 1 && list[0] !== undefined ? list[0] : list);
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !values.has(name)) values.set(name, value);
  }
  return Object.fromEntries(values);
};

const pathParametersOf = (event: APIGatewayProxyEvent): Record<string, string> =>
  Object.fromEntries(
    Object.entries(event.pathParameters ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, value]],
    ),
  );

const headersOf = (event: APIGatewayProxyEvent): Record<string, string> =>
  Object.fromEntries(
    Object.entries(event.headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), value]],
    ),
  );

const formFields = async (raw: Buffer, contentType: string): Promise<FormValues> => {
  // undici's Response parses both urlencoded and multipart bodies (RFC 8058 allows either).
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ValidationError({ body: 'is not a valid form' });
  }
  const fields: Array<[string, string]> = [];
  form.forEach((value, name) => {
    if (typeof value === 'string') fields.push([name, value]);
  });
  return collect(fields);
};

const bodyOf = async (
  event: APIGatewayProxyEvent,
  contentType: string,
  textTypes: readonly string[],
): Promise<{ body: unknown; bodyKind: HttpRequest['bodyKind'] }> => {
  if (event.body === null || event.body === '') return { body: undefined, bodyKind: 'none' };
  const raw = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      return { body: JSON.parse(raw.toString('utf8')), bodyKind: 'json' };
    } catch {
      throw new ValidationError({ body: 'is not valid JSON' });
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data') {
    return { body: await formFields(raw, contentType), bodyKind: 'form' };
  }
  if (textTypes.includes(mediaType)) return { body: raw.toString('utf8'), bodyKind: 'text' };
  throw new UnsupportedMediaTypeError(
    `content type "${mediaType || 'none'}" is not accepted; send application/json${textTypes.map((type) => `, ${type}`).join('')} or a form`,
  );
};

/**
 * `strict` refuses a body it cannot read; `lenient` treats it as absent, for routes
 * whose input can come from the query alone (a one-click unsubscribe from an odd client).
 */
export type BodyPolicy = 'strict' | 'lenient';

const readBody = async (
  event: APIGatewayProxyEvent,
  contentType: string,
  policy: BodyPolicy,
  textTypes: readonly string[],
): Promise<{ body: unknown; bodyKind: HttpRequest['bodyKind'] }> => {
  try {
    return await bodyOf(event, contentType, textTypes);
  } catch (error) {
    if (
      policy === 'lenient' &&
      (error instanceof ValidationError || error instanceof UnsupportedMediaTypeError)
    ) {
      return { body: undefined, bodyKind: 'none' };
    }
    throw error;
  }
};

/** `textTypes`: media types (e.g. `text/csv`) the route takes as plain text, besides JSON and forms. */
export const decodeHttpRequest = async (
  event: APIGatewayProxyEvent,
  policy: BodyPolicy,
  textTypes: readonly string[] = [],
): Promise<HttpRequest> => {
  const headers = headersOf(event);
  const { body, bodyKind } = await readBody(event, headers['content-type'] ?? '', policy, textTypes);
  const method = event.httpMethod.toUpperCase();
  return {
    // Every GET route is served for HEAD too (a HEAD method beside it in API Gateway, the
    // local gateway alike), and HEAD must answer what GET answers; the gateway drops the
    // body, so use cases only ever see GET.
    method: method === 'HEAD' ? 'GET' : method,
    resource: event.resource,
    pathParameters: pathParametersOf(event),
    query: queryOf(event),
    headers,
    body,
    bodyKind,
    bodyBytes:
      event.body === null || event.body === undefined
        ? 0
        : Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
    userAgent: headers['user-agent'],
    referrer: headers.referer,
  };
};

/** The first value of a query or form field, if it is a non-empty string. */
export const firstValue = (values: unknown, name: string): string | undefined => {
  if (typeof values !== 'object' || values === null || !(name in values)) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(values, name)?.value;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
};
