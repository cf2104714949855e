import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRequestBodyBytes } from '../../lib/domain/request-limits.js';
import { type RawResponse, sendRaw } from '../support/raw-http.js';
import { type DeclaredRoute, declaredRoutes, fillPath, parameterNames } from './support/declared-routes.js';
import { addFixtures, type Fixtures, type HttpStack, startHttpStack, tokens } from './support/http-stack.js';
import { loadRouteSamples, type RouteSamples, type SampleBody } from './support/route-samples.js';
import { partnerOrigin } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * Random and mutated requests at every route the topology declares, over HTTP against
 * the local runtime: methods, paths (odd and encoded parameters, very long segments),
 * query strings, headers (every kind of credential, content types, huge ones) and
 * bodies (the routes' own bodies mutated: wrong types, fields gone or added, control
 * characters, huge strings, deep nesting, broken JSON, forms, CSV; and sizes past the
 * limits). Whatever comes in:
 *
 * - nothing answers 5xx, and the runtime keeps answering;
 * - a refused request (4xx) stores nothing: the table, scanned before and after it, is
 *   the same, except for the rate windows (`RATE#…`) a refusal is meant to count in.
 *
 * The runtime runs its HTTP functions only (startHttpStack), so nothing else writes
 * while a request is in flight. Its limits keep their defaults (10 signups and 20 wrong
 * credentials an address in 10 minutes): each request comes from one of 64 loopback
 * addresses, so a limit's 429 or 401 is one answer among many and the rest still reach
 * the functions; the test checks that every route's function was reached.
 *
 * 2,000 cases run in `npm test` from a fixed seed; `RAPPORT_FUZZ_RUNS=20000` runs more
 * and `RAPPORT_FUZZ_SEED` starts from another seed. A failure prints fast-check's seed
 * and path: `RAPPORT_FUZZ_SEED=<seed> RAPPORT_FUZZ_PATH=<path>` runs that case again.
 */
const runs = Number(process.env.RAPPORT_FUZZ_RUNS ?? 2_000);
const seed = Number(process.env.RAPPORT_FUZZ_SEED ?? 20_260_601);
const replayPath = process.env.RAPPORT_FUZZ_PATH;

let stack: HttpStack;
let fixtures: Fixtures;
let samples: RouteSamples;
let table: LocalTableClients;

beforeAll(async () => {
  stack = await startHttpStack();
  fixtures = await addFixtures(stack);
  samples = await loadRouteSamples();
  table = connectToTable(stack);
});
afterAll(async () => {
  table?.client.destroy();
  await stack?.stop();
});

const routes = declaredRoutes();

// ---------------------------------------------------------------------------------------------
// The table, before and after

/** What a refusal is meant to write: its count in a rate window (signups, wrong credentials). */
const isRateWindow = (key: string): boolean => key.startsWith('RATE#');

/**
 * Every item but the rate windows, as the table's own JSON (no unmarshalling: a change of
 * any attribute changes the text, and DynamoDB Local lists an item's attributes in one order).
 */
const snapshot = async (): Promise<Map<string, string>> => {
  const items = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const key = `${item.PK?.S ?? ''} ${item.SK?.S ?? ''}`;
      if (!isRateWindow(key)) items.set(key, JSON.stringify(item));
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

const changes = (before: Map<string, string>, after: Map<string, string>): string[] => [
  ...[...after.keys()].filter((key) => !before.has(key)).map((key) => `added ${key}`),
  ...[...before.keys()].filter((key) => !after.has(key)).map((key) => `removed ${key}`),
  ...[...after.entries()]
    .filter(([key, text]) => before.has(key) && before.get(key) !== text)
    .map(([key]) => `changed ${key}`),
];

// ---------------------------------------------------------------------------------------------
// What a request is made of

const oddStrings = [
  '',
  ' ',
  '\u0000',
  '\u001b[31mred\u001b[0m',
  'Ann\r\nBcc: victim@example.com',
  '\u202eevil',
  'line\u2028break',
  '\ud800',
  '😀',
  '{{ contact.email }}',
  '{% for i in (1..1000000) %}{% for j in (1..1000000) %}x{% endfor %}{% endfor %}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '$where',
  '9999-12-31T00:00:00Z',
  '+010000-01-01',
  '2026-02-30',
  'P9999Y',
  '-P1D',
  'not-an-email',
  'a@b',
  'Europe/Nowhere',
  '+0',
  '1e999',
  'NaN',
];

/** Nested `depth` levels, built without recursion (JSON.stringify handles a few thousand). */
const nested = (depth: number, kind: 'list' | 'object'): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = kind === 'list' ? [value] : { a: value };
  return value;
};

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...oddStrings) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 2 ** 53 + 1, 1e308, 1e-200, 0.1) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((size) => 'x'.repeat(size)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 3_000 }), fc.constantFrom('list' as const, 'object' as const))
      .map(([depth, kind]) => nested(depth, kind)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', '$where', 'id', 'version', 'a.b', '0'),
  fc.string({ maxLength: 12 }),
);

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: oddKey, value: oddValue }),
);

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/** Every object and list in the value, so a mutation can land anywhere in it. */
const containersOf = (root: Container): Container[] => {
  const found: Container[] = [];
  const pending: unknown[] = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!isContainer(next) || found.length > 500) continue;
    found.push(next);
    pending.push(...Object.values(next));
  }
  return found;
};

/** Sets an own property, `__proto__` included, as JSON.parse would. */
const put = (container: Container, key: string | number, value: unknown): void => {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
};

const mutate = (value: unknown, mutations: readonly Mutation[]): unknown => {
  const root: { value: unknown } = structuredClone({ value });
  for (const change of mutations) {
    const containers = containersOf(root);
    const target = containers[change.at % containers.length];
    if (target === undefined) continue;
    const keys = Object.keys(target);
    const key = keys[change.at % Math.max(1, keys.length)];
    if (change.op === 'add') put(target, Array.isArray(target) ? target.length : change.key, change.value);
    else if (key === undefined) continue;
    else if (change.op === 'delete') {
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
    } else put(target, Array.isArray(target) ? Number(key) : key, change.value);
  }
  return root.value;
};

const flatFields = (value: unknown): Array<[string, string]> =>
  isContainer(value)
    ? Object.entries(value).flatMap(
        ([name, inner]): Array<[string, string]> =>
          Array.isArray(inner)
            ? inner.map((item): [string, string] => [
                name,
                typeof item === 'string' ? item : JSON.stringify(item),
              ])
            : [[name, typeof inner === 'string' ? inner : (JSON.stringify(inner) ?? '')]],
      )
    : [['value', String(value)]];

type BodyPlan =
  | { kind: 'none' }
  | { kind: 'sample'; pick: number; mutations: Mutation[]; asForm: boolean }
  | { kind: 'broken-json'; pick: number; cut: number; tail: string }
  | { kind: 'any-json'; value: unknown }
  | { kind: 'deep'; depth: number; open: string; close: string }
  | { kind: 'bytes'; size: number }
  | { kind: 'text'; text: string };

const bodyPlan: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('sample' as const),
      pick: fc.nat(),
      mutations: fc.array(mutation, { maxLength: 3 }),
      asForm: fc.constant(false),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sample' as const),
      pick: fc.nat(),
      mutations: fc.array(mutation, { maxLength: 2 }),
      asForm: fc.constant(true),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('broken-json' as const),
      pick: fc.nat(),
      cut: fc.nat(),
      tail: fc.constantFrom('', '}', ',', '"', '\u0000', 'garbage', '{"a":', ']]]'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('any-json' as const), value: fc.jsonValue() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.integer({ min: 30, max: 100_000 }),
      open: fc.constantFrom('[', '{"a":', '{"condition":{"$and":['),
      close: fc.constantFrom(']', '}', ']}}'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      size: fc.constantFrom(
        32 * 1024 + 1,
        500 * 1024 + 1,
        maxRequestBodyBytes,
        maxRequestBodyBytes + 1,
        3 * maxRequestBodyBytes,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 200 }) }),
  },
);

const credentialKinds = [
  'none',
  'admin',
  'marketer',
  'viewer',
  'wrong-token',
  'basic',
  'api-key',
  'revoked-api-key',
  'wrong-api-key',
  'empty-bearer',
  'huge-bearer',
  'two-tokens',
] as const;
type CredentialKind = (typeof credentialKinds)[number];

/** What the route takes: its least role, a good ingestion key, or nothing for a public route. */
const fittingCredential = (route: DeclaredRoute): CredentialKind =>
  route.role ?? (route.apiKey === true ? 'api-key' : 'none');

const credential: fc.Arbitrary<CredentialKind> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('admin' as const) },
  { weight: 3, arbitrary: fc.constant('marketer' as const) },
  { weight: 3, arbitrary: fc.constant('viewer' as const) },
  { weight: 5, arbitrary: fc.constant('api-key' as const) },
  { weight: 2, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constantFrom(...credentialKinds) },
);

const authorizationHeaders = (kind: CredentialKind): Array<[string, string]> => {
  switch (kind) {
    case 'none':
      return [];
    case 'admin':
    case 'marketer':
    case 'viewer':
      return [['Authorization', `Bearer ${tokens[kind]}`]];
    case 'wrong-token':
      return [['Authorization', 'Bearer not-a-token-of-this-stack']];
    case 'basic':
      return [['Authorization', `Basic ${Buffer.from(`admin:${tokens.admin}`).toString('base64')}`]];
    case 'api-key':
      return [['Authorization', `Bearer ${fixtures.apiKey}`]];
    case 'revoked-api-key':
      return [['Authorization', `Bearer ${fixtures.revokedApiKey}`]];
    case 'wrong-api-key':
      return [['Authorization', `Bearer rk_${'A'.repeat(43)}`]];
    case 'empty-bearer':
      return [['Authorization', 'Bearer ']];
    case 'huge-bearer':
      return [['Authorization', `Bearer ${'t'.repeat(12_000)}`]];
    case 'two-tokens':
      return [
        ['Authorization', `Bearer ${tokens.viewer}`],
        ['Authorization', `Bearer ${tokens.admin}`],
      ];
  }
};

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'text/csv',
  'text/plain',
  'application/octet-stream',
  'image/png',
  ';;;',
  '',
];

/** Printable ASCII only: Node's client refuses to send anything else in a header. */
const headerText = fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '?'));

const extraHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['Accept', 'text/html'],
    ['Accept', '*/*'],
    ['Origin', partnerOrigin],
    ['Origin', 'https://evil.example'],
    ['Access-Control-Request-Method', 'POST'],
    ['X-Forwarded-For', '203.0.113.9, 10.0.0.1'],
    ['X-Forwarded-Proto', 'gopher'],
    ['Referer', 'javascript:alert(1)'],
    ['Cookie', 'session=1'],
    ['Content-Encoding', 'gzip'],
    ['Transfer-Encoding', 'identity'],
    ['Expect', '100-continue'],
    ['X-Huge', 'h'.repeat(20_000)],
  ),
  fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/), headerText),
);

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND'];

const oddSegments = [
  'a%2Fb',
  '..',
  '.',
  '%2e%2e',
  '%',
  '%zz',
  '%00',
  '%C0%AF',
  '%ff',
  '%E2%80%AE',
  '%20',
  '~',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '0',
  '1e999',
];

/** Percent-encoded as UTF-8; a lone surrogate (which has no UTF-8) goes as U+FFFD, as a browser sends it. */
const encode = (text: string): string =>
  encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

/** A path parameter as sent: a known id, anything encoded, or something a router may choke on. */
const parameterValue = (ids: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...ids).map(encode) },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encode) },
    { weight: 2, arbitrary: fc.constantFrom(...oddSegments) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((length) => 'a'.repeat(length)) },
  );

const queryNames = [
  'email',
  'limit',
  'after',
  'segment',
  'q',
  'topic',
  'consent',
  'tier',
  'from',
  'to',
  'days',
  'token',
  'version',
  'contactId',
];

const queryPart: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...queryNames), fc.string({ maxLength: 8 })),
      fc.oneof(
        oddValue.map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))),
        fc.nat().map(String),
      ),
    )
    .map(([name, value]) => `${encode(name)}=${encode(value.slice(0, 3_000))}`),
  fc.constantFrom('%zz', 'a=%', '=', '&&', 'token=%ff%fe', 'limit=1&limit=2', '__proto__=1'),
);

type PathTwist = 'none' | 'trailing-slash' | 'double-slash' | 'extra-segment' | 'upper-case' | 'dot-segment';

interface FuzzCase {
  route: DeclaredRoute;
  method: string;
  parameters: string[];
  twist: PathTwist;
  query: string[];
  credential: CredentialKind;
  contentType: string | undefined;
  headers: Array<[string, string]>;
  body: BodyPlan;
  /** The last part of the caller's loopback address. */
  from: number;
}

const fuzzCase = (ids: readonly string[]): fc.Arbitrary<FuzzCase> =>
  fc.constantFrom(...routes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...methods) },
      ),
      parameters: fc.tuple(...parameterNames(route).map(() => parameterValue(ids))),
      twist: fc.oneof(
        { weight: 12, arbitrary: fc.constant('none' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<PathTwist>(
            'trailing-slash',
            'double-slash',
            'extra-segment',
            'upper-case',
            'dot-segment',
          ),
        },
      ),
      query: fc.array(queryPart, { maxLength: route.method === 'GET' ? 4 : 2 }),
      // Half the cases carry what the route takes, so every route's function is reached
      // however the seed falls; the other half try every kind of credential.
      credential: fc.oneof(credential, fc.constant(fittingCredential(route))),
      contentType: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...contentTypes) },
      ),
      headers: fc.array(extraHeader, { maxLength: 3 }),
      body:
        route.method === 'GET'
          ? fc.oneof(
              { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
              { weight: 1, arbitrary: bodyPlan },
            )
          : bodyPlan,
      from: fc.integer({ min: 1, max: 64 }),
    }),
  );

const pathOf = (fuzz: FuzzCase): string => {
  const names = parameterNames(fuzz.route);
  const path = fillPath(
    fuzz.route,
    Object.fromEntries(names.map((name, index) => [name, fuzz.parameters[index] ?? 'x'])),
  );
  const twisted = {
    none: path,
    'trailing-slash': `${path}/`,
    'double-slash': path.replace('/', '//'),
    'extra-segment': `${path}/extra`,
    'upper-case': path.toUpperCase(),
    'dot-segment': `${path}/../${path.split('/').pop() ?? ''}`,
  }[fuzz.twist];
  return fuzz.query.length === 0 ? twisted : `${twisted}?${fuzz.query.join('&')}`;
};

const decodedParameters = (fuzz: FuzzCase): Record<string, string> => {
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  return Object.fromEntries(
    parameterNames(fuzz.route).map((name, index) => [name, decode(fuzz.parameters[index] ?? '')]),
  );
};

/** A text body (a CSV file) with a row per mutation: its value, an unclosed quote, a blank line. */
const withRowsAdded = (text: string, mutations: readonly Mutation[]): string =>
  mutations.reduce(
    (body, change) => `${body}${'value' in change ? `${String(change.value).slice(0, 2_000)},"` : ''}\n`,
    text,
  );

/** The body's bytes and the content type that goes with it (the case may name another). */
const bodyOf = (fuzz: FuzzCase): { body?: Buffer; contentType?: string } => {
  const plan = fuzz.body;
  const choices = samples(fuzz.route.key, decodedParameters(fuzz));
  const sample: SampleBody = choices[('pick' in plan ? plan.pick : 0) % Math.max(1, choices.length)] ?? {
    kind: 'json',
    value: {},
  };
  switch (plan.kind) {
    case 'none':
      return {};
    case 'sample': {
      if (sample.kind === 'text')
        return {
          body: Buffer.from(withRowsAdded(sample.text, plan.mutations)),
          contentType: sample.contentType,
        };
      const value = sample.kind === 'json' ? sample.value : Object.fromEntries(sample.fields);
      const mutated = mutate(value, plan.mutations);
      if (plan.asForm || sample.kind === 'form')
        return {
          body: Buffer.from(new URLSearchParams(flatFields(mutated)).toString()),
          contentType: 'application/x-www-form-urlencoded',
        };
      return { body: Buffer.from(JSON.stringify(mutated) ?? 'null'), contentType: 'application/json' };
    }
    case 'broken-json': {
      const text = JSON.stringify(sample.kind === 'json' ? sample.value : {}) ?? '';
      return {
        body: Buffer.from(`${text.slice(0, plan.cut % (text.length + 1))}${plan.tail}`),
        contentType: 'application/json',
      };
    }
    case 'any-json':
      return { body: Buffer.from(JSON.stringify(plan.value) ?? 'null'), contentType: 'application/json' };
    case 'deep':
      return {
        body: Buffer.from(`${plan.open.repeat(plan.depth)}1${plan.close.repeat(plan.depth)}`),
        contentType: 'application/json',
      };
    case 'bytes':
      return { body: Buffer.alloc(plan.size, 'x'), contentType: 'application/json' };
    case 'text':
      return { body: Buffer.from(plan.text), contentType: 'text/plain' };
  }
};

const requestOf = (fuzz: FuzzCase) => {
  const { body, contentType } = bodyOf(fuzz);
  const type = fuzz.contentType ?? contentType;
  return {
    baseUrl: stack.apiUrl,
    method: fuzz.method,
    path: pathOf(fuzz),
    headers: [
      ...authorizationHeaders(fuzz.credential),
      ...(type === undefined ? [] : [['Content-Type', type] as [string, string]]),
      ...fuzz.headers,
    ],
    ...(body === undefined ? {} : { body }),
    from: `127.66.0.${fuzz.from}`,
  };
};

// ---------------------------------------------------------------------------------------------
// What came back

/** Whether the request carried what the route takes: the right role or a higher one, or a good key. */
const carriesCredential = (fuzz: FuzzCase): boolean => {
  const { role } = fuzz.route;
  if (role !== undefined)
    return (
      fuzz.credential === 'admin' ||
      (fuzz.credential === 'marketer' && role !== 'admin') ||
      (fuzz.credential === 'viewer' && role === 'viewer')
    );
  return fuzz.route.apiKey !== true || fuzz.credential === 'api-key';
};

/** Answers that show the request never reached the function: the gateway's or Node's own. */
const refusedBeforeTheFunction = (response: RawResponse): boolean =>
  response.kind === 'closed' ||
  [401, 405, 413, 431].includes(response.status) ||
  // Node's own answer to a request it cannot parse has no body.
  (response.status === 400 && response.text === '') ||
  response.text.includes('"no route for ');

/** What the run saw, so it can show it reached every function and that its table check sees changes. */
const tally = { acceptedWithChanges: 0, reached: new Map<string, number>() };

let settled: Map<string, string> | undefined;

const runCase = async (fuzz: FuzzCase): Promise<void> => {
  const before = settled ?? (await snapshot());
  const request = requestOf(fuzz);
  const response = await sendRaw(request);
  const described = () =>
    `${request.method} ${request.path.slice(0, 300)} from ${request.from} with ${fuzz.credential}: ${
      response.kind === 'answered'
        ? `${response.status} ${response.text.slice(0, 500)}`
        : `closed (${response.code})`
    }`;
  if (response.kind === 'closed') {
    // The runtime must still be there: a closed connection is only the server giving up on one request.
    const health = await sendRaw({ baseUrl: stack.apiUrl, method: 'GET', path: '/health' });
    expect(health.kind === 'answered' ? health.status : health.code, described()).toBe(200);
    settled = undefined;
    return;
  }
  expect(response.status, described()).toBeLessThan(500);
  if (fuzz.method === fuzz.route.method && carriesCredential(fuzz) && !refusedBeforeTheFunction(response))
    tally.reached.set(fuzz.route.key, (tally.reached.get(fuzz.route.key) ?? 0) + 1);
  const after = await snapshot();
  const changed = changes(before, after);
  if (response.status >= 400)
    expect(changed, `a refused request stored something: ${described()}`).toEqual([]);
  else if (changed.length > 0) tally.acceptedWithChanges += 1;
  settled = after;
};

describe('when random and mutated requests reach every route', () => {
  it(
    'answers none with a 5xx, keeps running, and stores nothing for a refused one',
    async () => {
      await fc.assert(fc.asyncProperty(fuzzCase(fixtures.ids), runCase), {
        numRuns: runs,
        seed,
        ...(replayPath === undefined ? {} : { path: replayPath }),
      });
      const health = await sendRaw({ baseUrl: stack.apiUrl, method: 'GET', path: '/health' });
      expect(health.kind === 'answered' ? health.status : health.code).toBe(200);
      // The table check can see a change: accepted requests made some.
      expect(tally.acceptedWithChanges).toBeGreaterThan(0);
      // Enough cases reach every route's function past its credential check.
      if (runs >= 1_000)
        expect(
          routes.filter((route) => (tally.reached.get(route.key) ?? 0) === 0).map((route) => route.key),
        ).toEqual([]);
    },
    Math.max(120_000, runs * 120),
  );
});
