import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyEventHeaders } from 'aws-lambda';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { MemoryRateLimiter } from '../../lib/adapters/memory/memory-rate-limiter.js';
import { MemoryTable } from '../../lib/adapters/memory/memory-table.js';
import { SystemClock } from '../../lib/adapters/system/system-clock.js';
import { type CredentialCheckDeps, verifyCredential } from '../../lib/app/bad-credentials.js';
import type { ConsoleConfig } from '../../lib/domain/console-config.js';
import { describeError } from '../../lib/domain/error-text.js';
import { busyRetryAfterSeconds, maxRequestBodyBytes } from '../../lib/domain/request-limits.js';
import type { HttpMethod, RouteAuth } from '../topology.js';
import { consolePath, serveConsole } from './console-files.js';
import { invoke, type LocalFunction, localAccountId } from './lambda-invoke.js';
import { type RouterEntry, resourceRouter } from './resource-router.js';
import { UnknownTopicError } from './topic-bus.js';

/**
 * The local stand-in for API Gateway (REST, Lambda proxy integration): turns each
 * request into the proxy event the cloud would send, checks the admin bearer token
 * where the cloud would check IAM, and writes the handler's proxy result back.
 */

export interface GatewayRoute {
  method: HttpMethod;
  path: string;
  auth: RouteAuth;
  fn: LocalFunction;
}

/** What the gateway serves under /local/: views into the local runtime that have no cloud counterpart. */
export interface LocalEndpoints {
  /** Every dead letter with its reason (`GET /local/dead-letters`); may answer a promise. */
  deadLetters(): unknown;
  /** Resolves to what to answer with; rejects with UnknownTopicError for a topic nobody subscribes to. */
  publish(topic: string, message: string): Promise<unknown>;
  /** May answer a promise, like `deadLetters`. */
  status(): unknown;
  /** What the local SNS endpoint would have texted (`GET /local/sms`). */
  sms?(): unknown;
  /** What the local EventBridge endpoint was handed (`GET /local/events`). */
  events?(): unknown;
}

export interface HttpGatewayOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  routes: readonly GatewayRoute[];
  adminToken: string;
  /**
   * Tokens for the lesser roles (docs/roles-and-audit.md): a request bearing one
   * reaches the function as a Cognito user in that group would.
   */
  roleTokens?: RoleTokens;
  region: string;
  /**
   * Where wrong tokens are counted against the caller's address, as wrong API keys
   * are (`verifyCredential`): the stack passes its table. Default: this process's memory.
   */
  credentialChecks?: CredentialCheckDeps;
  local?: LocalEndpoints;
  maxBodyBytes?: number;
  /**
   * Invocations of one function in flight at once, as Lambda's concurrency limit: past it
   * the gateway answers 503 with `Retry-After`, as the cloud API does when Lambda throttles,
   * instead of queueing without end. Default `localFunctionConcurrency`.
   */
  functionConcurrency?: number;
  /** Handler failures and malformed responses. */
  log?: (line: string) => void;
  /** One line per request, when set. */
  accessLog?: (line: string) => void;
  /** The marketer console's built files, served under /console with the config it reads at start. */
  console?: { root: string; config: ConsoleConfig };
}

export interface HttpGateway {
  /** e.g. http://127.0.0.1:3000, without a trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * One machine's worth of Lambda concurrency per function: enough for the benchmarks'
 * and the tests' own concurrency (at most 64 calls at once to one route), few enough
 * that a flood is turned away in a second instead of queueing for minutes.
 */
export const localFunctionConcurrency = 64;

export class AdminTokenTooShortError extends Error {
  override readonly name = 'AdminTokenTooShortError';
}

export class SharedRoleTokenError extends Error {
  override readonly name = 'SharedRoleTokenError';
}

/** The local tokens of the roles below admin; each at least 16 characters, and no two alike. */
export interface RoleTokens {
  marketer?: string;
  viewer?: string;
}

/**
 * Who a local token stands for, in the shape the cloud gives the function: the
 * admin token for an IAM principal (as the CLI signs), the others for a user of
 * the Cognito user pool in the group of that name, with `local-<role>` as its id.
 */
type LocalCaller = { kind: 'iam' } | { kind: 'group'; role: keyof RoleTokens };

/** Refuses tokens too short to guard anything, or one token standing for two roles. */
export const checkGatewayTokens = (adminToken: string, roleTokens: RoleTokens = {}): void => {
  const named: Array<[string, string]> = [
    ['RAPPORT_ADMIN_TOKEN', adminToken],
    ...Object.entries(roleTokens).flatMap(
      ([role, token]): Array<[string, string]> =>
        token === undefined ? [] : [[`RAPPORT_${role.toUpperCase()}_TOKEN`, token]],
    ),
  ];
  for (const [name, token] of named)
    if (token.length < 16) throw new AdminTokenTooShortError(`${name} must be at least 16 characters`);
  if (new Set(named.map(([, token]) => token)).size < named.length)
    throw new SharedRoleTokenError('each role needs a token of its own; two of them are the same');
};

const ProxyHeaderValue = z.union([z.string(), z.number(), z.boolean()]);
const ProxyResult = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), ProxyHeaderValue).nullish(),
  multiValueHeaders: z.record(z.string(), z.array(ProxyHeaderValue)).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});
type ProxyResult = z.infer<typeof ProxyResult>;

interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const jsonReply = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

const errorReply = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  jsonReply(status, { error: { code, message } }, headers);

class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** Reads the body, refusing more than `limit` bytes (the rest is drained so the reply can still be read). */
const readBody = (request: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      request.resume();
      reject(new PayloadTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => (tooLarge ? reject(new PayloadTooLargeError()) : resolve(Buffer.concat(chunks))));
    request.on('error', reject);
  });

const textMediaTypes = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/javascript',
  'application/graphql',
];

/** Without binary media types configured API Gateway passes text as is; locally, anything not text is base64. */
const isTextContent = (contentType: string | undefined): boolean => {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    textMediaTypes.includes(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml')
  );
};

const sameSecret = (given: string, expected: string): boolean => {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

const bearerToken = (request: IncomingMessage): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
};

const headersOf = (
  request: IncomingMessage,
  port: number,
  sourceIp: string,
): { headers: APIGatewayProxyEventHeaders; multiValueHeaders: Record<string, string[]> } => {
  // A Map, not an object: a client's header may be named `__proto__`.
  const multiValueHeaders = new Map<string, string[]>();
  const names = new Map<string, string>();
  const add = (name: string, value: string) => {
    // Keep the casing the client sent, as API Gateway does, but fold repeats together.
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    multiValueHeaders.set(key, [...(multiValueHeaders.get(key) ?? []), value]);
  };
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index];
    const value = request.rawHeaders[index + 1];
    if (name !== undefined && value !== undefined) add(name, value);
  }
  const forwardedKey = names.get('x-forwarded-for');
  const forwarded = forwardedKey === undefined ? undefined : multiValueHeaders.get(forwardedKey)?.join(', ');
  if (forwardedKey !== undefined) multiValueHeaders.delete(forwardedKey);
  names.delete('x-forwarded-for');
  add('X-Forwarded-For', forwarded === undefined ? sourceIp : `${forwarded}, ${sourceIp}`);
  if (!names.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!names.has('x-forwarded-port')) add('X-Forwarded-Port', String(port));
  // fromEntries defines own properties, so a `__proto__` header stays a header.
  const headers: APIGatewayProxyEventHeaders = Object.fromEntries(
    [...multiValueHeaders].map(([name, values]) => [name, values[values.length - 1]]),
  );
  return { headers, multiValueHeaders: Object.fromEntries(multiValueHeaders) };
};

const queryOf = (url: URL) => {
  const entries = [...url.searchParams.entries()];
  if (entries.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  // Maps, then own properties: a parameter may be named `__proto__`.
  const multi = new Map<string, string[]>();
  for (const [name, value] of entries) multi.set(name, [...(multi.get(name) ?? []), value]);
  return {
    queryStringParameters: Object.fromEntries(
      [...multi].map(([name, values]) => [name, values[values.length - 1]]),
    ),
    multiValueQueryStringParameters: Object.fromEntries(multi),
  };
};

/**
 * The request's path and query, read as API Gateway reads them: the path literally
 * (`//x` is a path, not a host named x), and only the path and query of an absolute URL.
 * Undefined for a target that is neither (`*`, `host:port`).
 */
const targetUrl = (target: string): URL | undefined => {
  const base = 'http://gateway.local';
  if (target.startsWith('/'))
    return URL.canParse(`${base}${target}`) ? new URL(`${base}${target}`) : undefined;
  if (!URL.canParse(target)) return undefined;
  const absolute = new URL(target);
  return new URL(`${base}${absolute.pathname}${absolute.search}`);
};

const sourceIpOf = (request: IncomingMessage): string => {
  const address = request.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
};

export const toProxyEvent = (input: {
  request: IncomingMessage;
  url: URL;
  body: Buffer;
  resource: string;
  pathParameters: Record<string, string>;
  port: number;
  admin: boolean;
  /** A lesser role's token: its Cognito-shaped claims go in the authorizer context. */
  group?: keyof RoleTokens;
}): APIGatewayProxyEvent => {
  const { request, url, body } = input;
  const method = request.method ?? 'GET';
  const sourceIp = sourceIpOf(request);
  const { headers, multiValueHeaders } = headersOf(request, input.port, sourceIp);
  const text = isTextContent(request.headers['content-type']);
  const now = DateTime.utc();
  const requestId = randomUUID();
  return {
    resource: input.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    ...queryOf(url),
    pathParameters: Object.keys(input.pathParameters).length === 0 ? null : input.pathParameters,
    stageVariables: null,
    body: body.length === 0 ? null : body.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: localAccountId,
      apiId: 'local',
      authorizer:
        input.group === undefined
          ? null
          : { claims: { sub: `local-${input.group}`, 'cognito:groups': input.group } },
      domainName: request.headers.host ?? `127.0.0.1:${input.port}`,
      extendedRequestId: requestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: input.admin ? localAccountId : null,
        apiKey: null,
        apiKeyId: null,
        // Locally the bearer token stands in for the IAM principal the cloud would name here.
        caller: input.admin ? 'local-admin' : null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: input.admin ? 'local-admin' : null,
        userAgent: request.headers['user-agent'] ?? null,
        userArn: input.admin ? `arn:aws:iam::${localAccountId}:user/local-admin` : null,
      },
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      requestId,
      requestTime: now.setLocale('en').toFormat("dd/LLL/yyyy:HH:mm:ss '+0000'"),
      requestTimeEpoch: now.toMillis(),
      resourceId: 'local',
      resourcePath: input.resource,
      stage: 'local',
    },
  };
};

const fromProxyResult = (result: ProxyResult): Reply => {
  const headers: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  const set = (name: string, values: string[]) => {
    const previous = names.get(name.toLowerCase());
    if (previous !== undefined) delete headers[previous];
    names.set(name.toLowerCase(), name);
    headers[name] = values.length === 1 && values[0] !== undefined ? values[0] : values;
  };
  for (const [name, value] of Object.entries(result.headers ?? {})) set(name, [String(value)]);
  // Where both name a header, API Gateway keeps the multi-value list.
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) set(name, values.map(String));
  if (!names.has('content-type')) headers['Content-Type'] = 'application/json';
  const body = result.body ?? '';
  return {
    status: result.statusCode,
    headers,
    body: Buffer.from(body, result.isBase64Encoded === true ? 'base64' : 'utf8'),
  };
};

type Target = { kind: 'function'; route: GatewayRoute } | { kind: 'local'; name: LocalEndpointName };

type LocalEndpointName = 'dead-letters' | 'topic' | 'status' | 'sms' | 'events';

export const startHttpGateway = async (options: HttpGatewayOptions): Promise<HttpGateway> => {
  if (options.adminToken.length < 16)
    throw new AdminTokenTooShortError('the admin token must be at least 16 characters');
  checkGatewayTokens(options.adminToken, options.roleTokens);
  const callerOf = (token: string): LocalCaller | undefined => {
    if (sameSecret(token, options.adminToken)) return { kind: 'iam' };
    for (const role of ['marketer', 'viewer'] as const) {
      const roleToken = options.roleTokens?.[role];
      if (roleToken !== undefined && sameSecret(token, roleToken)) return { kind: 'group', role };
    }
    return undefined;
  };
  const credentialChecks = options.credentialChecks ?? {
    rateLimiter: new MemoryRateLimiter(new MemoryTable()),
    clock: new SystemClock(),
  };
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? maxRequestBodyBytes;
  const log = options.log ?? ((line: string) => console.error(line));
  const entries: RouterEntry<Target>[] = options.routes.map((route) => ({
    method: route.method,
    path: route.path,
    target: { kind: 'function', route },
  }));
  if (options.local !== undefined) {
    const local = (method: string, path: string, name: LocalEndpointName): RouterEntry<Target> => ({
      method,
      path,
      target: { kind: 'local', name },
    });
    entries.push(
      local('GET', '/local/dead-letters', 'dead-letters'),
      local('POST', '/local/topics/{topic}', 'topic'),
      local('GET', '/local/status', 'status'),
    );
    if (options.local.sms !== undefined) entries.push(local('GET', '/local/sms', 'sms'));
    if (options.local.events !== undefined) entries.push(local('GET', '/local/events', 'events'));
  }
  const router = resourceRouter(entries);
  let port = options.port;

  const serveLocal = async (
    name: LocalEndpointName,
    parameters: Record<string, string>,
    body: Buffer,
  ): Promise<Reply> => {
    const local = options.local;
    if (local === undefined) return errorReply(404, 'not_found', 'no such local endpoint');
    if (name === 'dead-letters') return jsonReply(200, await local.deadLetters());
    if (name === 'status') return jsonReply(200, await local.status());
    if (name === 'sms') return jsonReply(200, local.sms?.() ?? []);
    if (name === 'events') return jsonReply(200, local.events?.() ?? []);
    const topic = parameters.topic ?? '';
    try {
      return jsonReply(202, await local.publish(topic, body.toString('utf8')));
    } catch (error) {
      if (error instanceof UnknownTopicError) return errorReply(404, 'not_found', error.message);
      throw error;
    }
  };

  const functionConcurrency = options.functionConcurrency ?? localFunctionConcurrency;
  const inFlight = new Map<string, number>();

  const handle = async (request: IncomingMessage): Promise<Reply> => {
    const url = targetUrl(request.url ?? '/');
    if (url === undefined)
      return errorReply(400, 'bad_request', 'the request target must be a path, such as /v1/signup');
    const method = (request.method ?? 'GET').toUpperCase();
    if (
      options.console !== undefined &&
      (method === 'GET' || method === 'HEAD') &&
      (url.pathname === consolePath || url.pathname.startsWith(`${consolePath}/`))
    )
      return serveConsole(options.console.root, url.pathname, options.console.config);
    const matched = router.match(method, url.pathname);
    if (matched.kind === 'not-found') return errorReply(404, 'not_found', `no route for ${url.pathname}`);
    if (matched.kind === 'method-not-allowed') {
      const allowed = matched.allow.join(', ');
      return errorReply(
        405,
        'method_not_allowed',
        `${method} is not allowed on ${url.pathname}; use ${allowed}`,
        {
          Allow: allowed,
        },
      );
    }
    const target = matched.target;
    const guarded = target.kind === 'function' && target.route.auth === 'admin';
    let caller: LocalCaller | undefined;
    if (guarded) {
      const token = bearerToken(request);
      // A wrong token counts against the caller's address; past the limit even the right one is
      // refused for a while. Every refusal reads the same as a missing token.
      caller =
        token === undefined
          ? undefined
          : await verifyCredential(credentialChecks, {
              purpose: 'bad-admin-token',
              sourceIp: sourceIpOf(request),
              verify: () => callerOf(token),
            });
      if (caller === undefined)
        return errorReply(
          401,
          'unauthorized',
          'this route needs an admin, marketer or viewer token: send "Authorization: Bearer <token>"',
          { 'WWW-Authenticate': 'Bearer realm="rapport-admin"' },
        );
    }
    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof PayloadTooLargeError)
        return errorReply(413, 'payload_too_large', `the request body is larger than ${maxBodyBytes} bytes`, {
          Connection: 'close',
        });
      throw error;
    }
    if (target.kind === 'local') return serveLocal(target.name, matched.pathParameters, body);
    const fn = target.route.fn;
    const event = toProxyEvent({
      request,
      url,
      body,
      resource: matched.resource,
      pathParameters: matched.pathParameters,
      port,
      admin: caller?.kind === 'iam',
      ...(caller?.kind === 'group' ? { group: caller.role } : {}),
    });
    const running = inFlight.get(fn.functionName) ?? 0;
    if (running >= functionConcurrency)
      return errorReply(503, 'busy', `${fn.functionName} is busy; try again shortly`, {
        'Retry-After': String(busyRetryAfterSeconds),
      });
    inFlight.set(fn.functionName, running + 1);
    let result: unknown;
    try {
      result = await invoke(fn, event, options.region);
    } catch (error) {
      log(
        `[${fn.functionName}] ${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? describeError(error)) : describeError(error)}`,
      );
      return errorReply(502, 'bad_gateway', 'the function failed; see the runtime log');
    } finally {
      inFlight.set(fn.functionName, (inFlight.get(fn.functionName) ?? 1) - 1);
    }
    const parsed = ProxyResult.safeParse(result);
    if (!parsed.success) {
      log(
        `[${fn.functionName}] ${method} ${url.pathname} returned a malformed proxy response: ${parsed.error.message}`,
      );
      return errorReply(502, 'bad_gateway', 'the function returned a malformed proxy response');
    }
    return fromProxyResult(parsed.data);
  };

  const write = (request: IncomingMessage, response: ServerResponse, reply: Reply) => {
    response.statusCode = reply.status;
    for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
    // For HEAD, the length GET's body would have (RFC 9110 §8.6), and no body.
    response.setHeader('Content-Length', reply.body.length);
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  };

  const server: Server = createServer((request, response) => {
    const startedAt = Date.now();
    handle(request)
      .catch((error: unknown) => {
        // The connection is gone (the client left mid-body, or Node refused the request's framing
        // after it began and answered 400 itself): there is no one to answer, and nothing failed here.
        if (request.socket.destroyed) return undefined;
        log(`gateway error on ${request.method} ${request.url}: ${describeError(error)}`);
        return errorReply(500, 'internal_error', 'the local gateway failed; see the runtime log');
      })
      .then((reply) => {
        if (reply === undefined) return;
        write(request, response, reply);
        options.accessLog?.(
          `${request.method} ${request.url} → ${reply.status} (${Date.now() - startedAt} ms)`,
        );
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address: AddressInfo | string | null = server.address();
  port = typeof address === 'object' && address !== null ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return stopping;
    },
  };
};
