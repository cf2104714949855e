import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import { overrideDependencies } from '../../functions/dependency-overrides.js';
import { documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import { DynamoDeadLetterStore } from '../../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { DynamoRateLimiter } from '../../lib/adapters/dynamodb/dynamo-rate-limiter.js';
import { createTableIfMissing } from '../../lib/adapters/dynamodb/table-definition.js';
import { SystemClock } from '../../lib/adapters/system/system-clock.js';
import { supplyEnvironmentPerInvocation } from '../../lib/config/invocation-environment.js';
import { parseRuntimeEnv, type RuntimeEnv, TokenKeys } from '../../lib/config/runtime-env.js';
import { describeError } from '../../lib/domain/error-text.js';
import { isRecord } from '../../lib/domain/is-record.js';
import type { Clock } from '../../lib/ports/clock.js';
import { type FunctionSpec, TopicName, topology } from '../topology.js';
import { createAsyncInvoker } from './async-invocation.js';
import { checkBundleOptions, startBundledFunctions } from './bundled-functions.js';
import { consolePath } from './console-files.js';
import { createDeadLetterSink, type DeadLetter } from './dead-letter-sink.js';
import { type DynamoDbLocal, localCredentials, localRegion, startDynamoDbLocal } from './dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from './eventbridge-local.js';
import { freePort } from './free-port.js';
import {
  AdminTokenTooShortError,
  checkGatewayTokens,
  type GatewayRoute,
  type HttpGateway,
  type RoleTokens,
  startHttpGateway,
} from './http-gateway.js';
import { invoke, type LocalFunction, loadHandler, localAccountId, withEnvironment } from './lambda-invoke.js';
import { localFunctionInvoker } from './local-function-invoker.js';
import { createLocalScheduler, type ScheduledFunction } from './scheduler.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SnsLocal, startSnsLocal } from './sns-local.js';
import { createFileCheckpointStore, createMemoryCheckpointStore } from './stream-checkpoints.js';
import { createStreamPoller, type StreamPoller } from './stream-poller.js';
import { createTopicBus, UnknownTopicError } from './topic-bus.js';
import { type LocalWiring, planLocalWiring } from './wiring-plan.js';

/**
 * The whole runtime behind `npm start` and the end-to-end tests: DynamoDB Local,
 * the SES v2 emulator, and every topology entry wired the way the cloud wires it,
 * running the same handler modules in this process.
 */

export interface LocalStackOptions {
  /** The API's port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The SES emulator's port (its mail viewer is at its root); 0 picks a free one. Default 8005. */
  sesPort?: number;
  /** DynamoDB Local's port; 0 picks a free one. Default 8000. */
  dynamoPort?: number;
  /** The local SNS endpoint's port (it records every SMS); 0 picks a free one. Default 8006. */
  snsPort?: number;
  /** The local EventBridge endpoint's port (it records every event put); 0 picks a free one. Default 8007. */
  eventBridgePort?: number;
  /** Keep the database, token keys and stream checkpoints under `.rapport/` in the repository root. */
  persist?: boolean;
  /** Where `persist` keeps them instead of `.rapport/`. */
  dataFolder?: string;
  /**
   * A DynamoDB already running (DynamoDB Local started by someone else): the stack
   * uses it, creating the table if missing, and never stops it. The database then
   * outlives the runtime, as DynamoDB outlives a Lambda function that crashes.
   */
  dynamoEndpoint?: string;
  /** An SES v2 emulator already running, used and never stopped, so sent mail outlives the runtime as SES's does. */
  sesEndpoint?: string;
  /** Guards the admin routes. Default: RAPPORT_ADMIN_TOKEN, else a random one. */
  adminToken?: string;
  /**
   * Tokens for the marketer and viewer roles. Default: RAPPORT_MARKETER_TOKEN and
   * RAPPORT_VIEWER_TOKEN, else none (only the admin token is accepted).
   */
  roleTokens?: RoleTokens;
  /**
   * Read before process.env for RAPPORT_* settings, and laid over the handlers'
   * environment (which starts from process.env, so `TOPICS=… npm start` works).
   * The handlers get it with each invocation; it is never written to process.env.
   */
  env?: Record<string, string>;
  /** Handlers log warnings only and the gateway logs no requests. */
  quiet?: boolean;
  /** The functions to wire; default the topology. Tests of the runtime pass their own. */
  functions?: readonly FunctionSpec[];
  /** The folder entries are relative to; default the repository root. */
  entryRoot?: string;
  /** Run schedule entries on their local rate. Default true; tests that want to decide when use `tick()`. */
  periodicSchedules?: boolean;
  /**
   * The clock the handlers read; the system's by default. A test that moves it
   * (with `periodicSchedules: false` and `tick()`) runs the stack on virtual time.
   */
  clock?: Clock;
  /**
   * Run every function from the bundle `cdk synth` made for it (cdk.out, synthesized
   * first when older than its sources), with the environment its template declares,
   * instead of from source: `npm start -- --bundles` (infra/local/bundled-functions.ts).
   * Takes no clock, and of `env` only the settings a deployment can give the functions.
   */
  bundles?: boolean;
}

export interface LocalStack {
  /** The API gateway, e.g. http://127.0.0.1:3000; its root serves the example signup page. */
  apiUrl: string;
  /** The marketer console, served by the gateway from console/dist (`npm start` builds it when stale). */
  consoleUrl: string;
  /** The SES v2 emulator; its root is the mail viewer, `/store` the mail as JSON. */
  sesUrl: string;
  /** The local SNS endpoint the handlers text through; what it recorded is at `${apiUrl}/local/sms`. */
  snsUrl: string;
  /**
   * The local EventBridge endpoint publish-events puts on, and other systems put
   * purchase events on (its bus rules hand them to their functions); what it
   * recorded is at `${apiUrl}/local/events`.
   */
  eventBridgeUrl: string;
  /** The bus the handlers put events on, as the cloud stack's own bus. */
  eventBusName: string;
  dynamoEndpoint: string;
  /**
   * Whether DynamoDB Local listens on 127.0.0.1 only. When it could not be
   * confined it listens on every interface and takes any credentials: the
   * banner says so.
   */
  dynamoLoopbackOnly: boolean;
  adminToken: string;
  tableName: string;
  /**
   * The environment its handlers get with every invocation, checked when the stack
   * started. From bundles, each function has its template's instead, signing with
   * the same TOKEN_KEYS.
   */
  environment: RuntimeEnv;
  /** What was wired for each function. */
  wiring: LocalWiring[];
  /**
   * Resolves once every stream and topic has been handled to the end, retries
   * included. A scheduled run in flight is waited for; future ones are not.
   */
  idle(): Promise<void>;
  /** Runs every schedule entry (the timer tick) once and resolves when they finished; rejects if one failed. */
  tick(): Promise<void>;
  /** Every dead letter in the stack's table, oldest first: the sink's and the stream chain's. */
  deadLetters(): Promise<DeadLetter[]>;
  /**
   * Hands one event to one of its functions and resolves with what the handler
   * returned, as Lambda's synchronous Invoke does: for tests that replay what a
   * trigger would deliver (a stream redelivery, say).
   */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Stops everything, DynamoDB Local's Java process included. Safe to call twice. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly service: string,
    readonly port: number,
    hint: string,
  ) {
    super(`port ${port} is already in use, so ${service} cannot start there; ${hint}`);
  }
}

export class HandlerLoadError extends Error {
  override readonly name = 'HandlerLoadError';
}

export class DeploymentFunctionFailedError extends Error {
  override readonly name = 'DeploymentFunctionFailedError';
}

export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError';
}

export const localTableName = 'rapport-local';
/** The same name the cloud stack gives its bus by default, so rules and docs read the same in both. */
export const localEventBusName = 'rapport';
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/+$/, '');
export const persistFolder = join(repoRoot, '.rapport');

const defaultSender = 'Rapport <hello@rapport.local>';
const defaultPostalAddress = 'Rapport Example Ltd, 1 Example Street, Springfield 12345';

const isErrorWithCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && error.code === code;

const assertPortFree = (host: string, port: number, service: string, hint: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (error) => {
      reject(isErrorWithCode(error, 'EADDRINUSE') ? new PortInUseError(service, port, hint) : error);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });

const choosePort = async (requested: number | undefined, fallback: number): Promise<number> => {
  const port = requested ?? fallback;
  return port === 0 ? freePort() : port;
};

const newTokenKeys = (): string =>
  JSON.stringify({ current: 'k1', k1: randomBytes(48).toString('base64url') });

/** With persist, links in mail sent before a restart must still verify, so the keys are kept too. */
const tokenKeysFor = async (
  source: Record<string, string | undefined>,
  dataFolder: string | undefined,
): Promise<string> => {
  const given = source.RAPPORT_TOKEN_KEYS;
  if (given !== undefined && given !== '') return given;
  if (dataFolder === undefined) return newTokenKeys();
  const file = join(dataFolder, 'token-keys.json');
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (TokenKeys.safeParse(JSON.parse(kept)).success) return kept;
  } catch (error) {
    if (!isErrorWithCode(error, 'ENOENT') && !(error instanceof SyntaxError)) throw error;
  }
  const keys = newTokenKeys();
  await mkdir(dataFolder, { recursive: true });
  await writeFile(file, `${keys}\n`, { mode: 0o600 });
  return keys;
};

const allowedOrigins = (apiUrl: string, extra: string | undefined): string => {
  const own = new URL(apiUrl);
  const origins = [own.origin];
  // A browser on http://localhost:PORT posts with that origin, not 127.0.0.1's.
  if (own.hostname === '127.0.0.1') origins.push(`${own.protocol}//localhost:${own.port}`);
  for (const origin of (extra ?? '').split(',')) if (origin.trim() !== '') origins.push(origin.trim());
  return origins.join(',');
};

const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Invokes a deployment function the way the CDK custom-resource provider does on stack creation. */
const runAtStart = async (fn: LocalFunction, region: string): Promise<void> => {
  const serviceToken = `arn:aws:lambda:${region}:${localAccountId}:function:${fn.functionName}`;
  const event: CloudFormationCustomResourceCreateEvent = {
    RequestType: 'Create',
    ServiceToken: serviceToken,
    // The provider framework answers CloudFormation itself; handlers return their result instead.
    ResponseURL: 'http://127.0.0.1:9/local-start-has-no-cloudformation',
    StackId: `arn:aws:cloudformation:${region}:${localAccountId}:stack/rapport-local/${randomUUID()}`,
    RequestId: randomUUID(),
    LogicalResourceId: pascalCase(fn.functionName),
    ResourceType: `Custom::${pascalCase(fn.functionName)}`,
    ResourceProperties: { ServiceToken: serviceToken, StartedAt: new Date().toISOString() },
  };
  let result: unknown;
  try {
    result = await invoke(fn, event, region);
  } catch (error) {
    throw new DeploymentFunctionFailedError(
      `${fn.functionName} (run once at start) failed, so the local runtime did not start: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (isRecord(result) && result.Status === 'FAILED')
    throw new DeploymentFunctionFailedError(
      `${fn.functionName} (run once at start) reported FAILED: ${String(result.Reason ?? 'no reason given')}`,
    );
};

/**
 * What the handlers see: the developer's environment (`TOPICS=… npm start`), then
 * the stack's own settings. Nothing that would reach AWS rather than the emulators:
 * a secret's ARN (the keys come as TOKEN_KEYS, and the schema refuses both) and the
 * session token of the developer's own credentials.
 */
const handlerEnvironment = (stackSettings: Record<string, string>): Record<string, string | undefined> => {
  const { TOKEN_KEYS_SECRET_ARN: _secret, AWS_SESSION_TOKEN: _session, ...developer } = process.env;
  return { ...developer, ...stackSettings };
};

/**
 * Powertools builds one logger, metrics and tracer per process, from POWERTOOLS_*
 * variables, when the first handler is imported: observability is the process's,
 * not a handler environment's. Defaults only, so the developer's own settings win,
 * and the first stack of a process decides.
 */
const setObservabilityDefaults = (quiet: boolean): void => {
  const defaults = {
    POWERTOOLS_SERVICE_NAME: 'rapport',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'Rapport',
    POWERTOOLS_LOG_LEVEL: quiet ? 'WARN' : 'INFO',
    POWERTOOLS_DEV: 'true',
  };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
};

const loadFunction = async (
  root: string,
  wiring: LocalWiring,
  environment: RuntimeEnv,
): Promise<LocalFunction> => {
  try {
    return {
      functionName: wiring.functionName,
      memoryMb: wiring.spec.memoryMb,
      timeoutSeconds: wiring.spec.timeoutSeconds,
      handler: withEnvironment(await loadHandler(root, wiring.entry), environment),
    };
  } catch (error) {
    throw new HandlerLoadError(
      `could not load ${wiring.entry} for function "${wiring.functionName}": ${describeError(error)}`,
      { cause: error },
    );
  }
};

/**
 * For runs that put a whole audience through one machine (the demo, benchmarks,
 * end-to-end tests): every signup comes from this machine's address, which the per-IP
 * limit would count as one visitor, and the SES emulator and the local SNS endpoint take
 * mail and texts at any rate, where a new SES account takes 14 a second and a number
 * one text a second. Each limit is tested on its own.
 */
export const oneMachineLoad = {
  SIGNUP_LIMIT_PER_IP: '1000000/PT1M',
  SES_MAX_SEND_RATE: '10000',
  SMS_MAX_SEND_RATE: '10000',
} as const;

/** Every port the runtime opens, left to the OS: for tests, the demo and benchmarks beside a running `npm start`. */
export const ephemeralPorts = {
  port: 0,
  sesPort: 0,
  snsPort: 0,
  eventBridgePort: 0,
  dynamoPort: 0,
} as const satisfies Partial<LocalStackOptions>;

/** Its own operator starts and stops it; whether it listens beyond loopback is theirs to know. */
const alreadyRunningDynamo = (endpoint: string): DynamoDbLocal => ({
  endpoint,
  loopbackOnly: ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(endpoint).hostname),
  stop: async () => undefined,
});

const isAddressInUse = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';

/**
 * Starts the local runtime. With ports 0 (tests, the demo), a port picked free
 * can be taken by a parallel process before its server binds it; the start
 * cleans up after itself, so it is simply tried again on fresh ports.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const ephemeral = [
    options.port,
    options.sesPort,
    options.dynamoPort,
    options.snsPort,
    options.eventBridgePort,
  ].every((port) => port === 0);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startLocalStackOnce(options);
    } catch (error) {
      if (!ephemeral || attempt >= 3 || !isAddressInUse(error)) throw error;
    }
  }
};

const startLocalStackOnce = async (options: LocalStackOptions): Promise<LocalStack> => {
  const source: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.bundles === true) checkBundleOptions(options);
  const host = options.host ?? '127.0.0.1';
  const quiet = options.quiet ?? false;
  const persist = options.persist ?? false;
  const dataFolder = persist ? (options.dataFolder ?? persistFolder) : undefined;
  const info = quiet ? () => undefined : (line: string) => console.log(line);
  const warn = (line: string) => console.warn(line);
  const adminToken =
    options.adminToken ??
    (source.RAPPORT_ADMIN_TOKEN !== undefined && source.RAPPORT_ADMIN_TOKEN !== ''
      ? source.RAPPORT_ADMIN_TOKEN
      : randomBytes(24).toString('base64url'));
  if (adminToken.length < 16) {
    throw new AdminTokenTooShortError('RAPPORT_ADMIN_TOKEN must be at least 16 characters');
  }
  const tokenSetting = (name: string): string | undefined =>
    source[name] === undefined || source[name] === '' ? undefined : source[name];
  const marketerToken = tokenSetting('RAPPORT_MARKETER_TOKEN');
  const viewerToken = tokenSetting('RAPPORT_VIEWER_TOKEN');
  const roleTokens: RoleTokens = options.roleTokens ?? {
    ...(marketerToken === undefined ? {} : { marketer: marketerToken }),
    ...(viewerToken === undefined ? {} : { viewer: viewerToken }),
  };
  // Checked before anything starts, so a bad token stops `npm start` with its name.
  checkGatewayTokens(adminToken, roleTokens);

  const apiPort = await choosePort(options.port, 3000);
  const sesPort = await choosePort(options.sesPort, 8005);
  const dynamoPort = await choosePort(options.dynamoPort, 8000);
  const snsPort = await choosePort(options.snsPort, 8006);
  const eventBridgePort = await choosePort(options.eventBridgePort, 8007);
  await assertPortFree(host, apiPort, 'the API', 'set PORT to another port, e.g. PORT=3001 npm start');
  if (options.sesEndpoint === undefined)
    await assertPortFree('127.0.0.1', sesPort, 'the SES emulator', 'set RAPPORT_SES_PORT to another port');
  await assertPortFree(
    '127.0.0.1',
    snsPort,
    'the local SNS endpoint',
    'set RAPPORT_SNS_PORT to another port',
  );
  await assertPortFree(
    '127.0.0.1',
    eventBridgePort,
    'the local EventBridge endpoint',
    'set RAPPORT_EVENTBRIDGE_PORT to another port',
  );
  if (options.dynamoEndpoint === undefined)
    await assertPortFree(
      '127.0.0.1',
      dynamoPort,
      'DynamoDB Local',
      'set RAPPORT_DYNAMODB_PORT to another port',
    );

  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => warn(`stopping the local runtime: ${describeError(error)}`));
    }
  };

  try {
    const dynamo: DynamoDbLocal =
      options.dynamoEndpoint === undefined
        ? await startDynamoDbLocal({
            port: dynamoPort,
            ...(dataFolder === undefined ? {} : { persistTo: join(dataFolder, 'dynamodb') }),
          })
        : alreadyRunningDynamo(options.dynamoEndpoint);
    cleanups.push(() => dynamo.stop());
    const ses: SesLocal =
      options.sesEndpoint === undefined
        ? await startSesLocal({ port: sesPort, host: '127.0.0.1' })
        : { endpoint: options.sesEndpoint, stop: async () => undefined };
    cleanups.push(() => ses.stop());
    // Every SMS is printed as it is accepted, unless quiet; GET /local/sms lists them all.
    const sns: SnsLocal = await startSnsLocal({ port: snsPort, host: '127.0.0.1', quiet });
    cleanups.push(() => sns.stop());
    // Every event is printed as it is put, unless quiet; GET /local/events lists them all.
    const eventBridge: EventBridgeLocal = await startEventBridgeLocal({
      port: eventBridgePort,
      host: '127.0.0.1',
      quiet,
      eventBusNames: [localEventBusName],
      region: localRegion,
    });
    cleanups.push(() => eventBridge.stop());

    const clientConfig = { endpoint: dynamo.endpoint, region: localRegion, credentials: localCredentials };
    const dynamodb = new DynamoDBClient(clientConfig);
    const streams = new DynamoDBStreamsClient(clientConfig);
    cleanups.push(async () => {
      dynamodb.destroy();
      streams.destroy();
    });
    await createTableIfMissing(dynamodb, localTableName);

    const urlHost = host.includes(':') ? `[${host}]` : host;
    const apiUrl = `http://${urlHost}:${apiPort}`;
    const handlerEnv: Record<string, string> = {
      TABLE_NAME: localTableName,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SES_ENDPOINT: ses.endpoint,
      SNS_ENDPOINT: sns.endpoint,
      EVENTBRIDGE_ENDPOINT: eventBridge.endpoint,
      EVENT_BUS_NAME: localEventBusName,
      PUBLIC_BASE_URL: apiUrl,
      SENDER_EMAIL: defaultSender,
      POSTAL_ADDRESS: defaultPostalAddress,
      ALLOWED_ORIGINS: allowedOrigins(apiUrl, source.RAPPORT_ALLOWED_ORIGINS),
      TOKEN_KEYS: await tokenKeysFor(source, dataFolder),
      CONTENT_ROOT: repoRoot,
      ...options.env,
    };
    // Checked now, as a cold start would, so a bad setting stops the start with its name.
    const environment = parseRuntimeEnv(handlerEnvironment(handlerEnv));
    setObservabilityDefaults(quiet);
    overrideDependencies(environment, {
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      // A redrive hands records to this stack's functions, not to Lambda.
      functions: localFunctionInvoker((name) => functions.get(name), localRegion),
    });
    // From here on handlers get the environment with each invocation and never read process.env.
    supplyEnvironmentPerInvocation();

    const wiring = planLocalWiring(options.functions ?? topology);
    const entryRoot = options.entryRoot ?? repoRoot;
    const functions = new Map<string, LocalFunction>();
    if (options.bundles === true) {
      const bundled = await startBundledFunctions({
        root: repoRoot,
        wiring,
        region: localRegion,
        credentials: localCredentials,
        tableName: localTableName,
        eventBusName: localEventBusName,
        endpoints: {
          DYNAMODB_ENDPOINT: dynamo.endpoint,
          SES_ENDPOINT: ses.endpoint,
          SNS_ENDPOINT: sns.endpoint,
          EVENTBRIDGE_ENDPOINT: eventBridge.endpoint,
        },
        gateway: { url: apiUrl, origins: allowedOrigins(apiUrl, source.RAPPORT_ALLOWED_ORIGINS) },
        tokenKeys: handlerEnv.TOKEN_KEYS ?? '',
        env: options.env ?? {},
        // The process's Powertools settings, defaults included (setObservabilityDefaults).
        observability: Object.fromEntries(
          Object.entries(process.env).flatMap(([name, value]) =>
            name.startsWith('POWERTOOLS_') && value !== undefined ? [[name, value]] : [],
          ),
        ),
        log: info,
      });
      cleanups.push(() => bundled.stop());
      for (const [name, fn] of bundled.functions) functions.set(name, fn);
    } else {
      for (const wired of wiring)
        functions.set(wired.functionName, await loadFunction(entryRoot, wired, environment));
    }
    const functionOf = (wired: LocalWiring): LocalFunction => {
      const fn = functions.get(wired.functionName);
      if (fn === undefined) throw new Error(`function ${wired.functionName} was not loaded`);
      return fn;
    };

    for (const wired of wiring) {
      if (wired.kind !== 'run-at-start') continue;
      await runAtStart(functionOf(wired), localRegion);
      info(`ran ${wired.functionName} once at start`);
    }

    const deadLetters = createDeadLetterSink({
      store: new DynamoDeadLetterStore(documentClientFor(dynamodb), localTableName),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const bus = createTopicBus({ region: localRegion, deadLetters, log: warn });
    // What bus rules hand their functions: asynchronous, with the same retries and dead letters as topics.
    // As in the cloud, Lambda does not retry bus-rule functions: their chain does (functions/middleware/bus-chain.ts).
    const busTargets = createAsyncInvoker({ region: localRegion, deadLetters, log: warn, retryAttempts: 0 });
    const checkpoints =
      dataFolder !== undefined
        ? await createFileCheckpointStore(join(dataFolder, 'stream-checkpoints.json'))
        : createMemoryCheckpointStore();
    const pollers: StreamPoller[] = [];
    const routes: GatewayRoute[] = [];
    const scheduled: ScheduledFunction[] = [];
    for (const wired of wiring) {
      switch (wired.kind) {
        case 'http-routes':
          for (const route of wired.routes) routes.push({ ...route, fn: functionOf(wired) });
          break;
        case 'stream-poller':
          pollers.push(
            createStreamPoller({
              fn: functionOf(wired),
              mapping: wired.mapping,
              tableName: localTableName,
              dynamodb,
              streams,
              region: localRegion,
              deadLetters,
              checkpoints,
              log: warn,
            }),
          );
          break;
        case 'topic-subscription':
          bus.subscribe(wired.topic, functionOf(wired));
          break;
        case 'run-at-start':
          break;
        case 'scheduler':
          scheduled.push({ fn: functionOf(wired), everySeconds: wired.schedule.localEverySeconds });
          break;
        case 'bus-rule': {
          const fn = functionOf(wired);
          eventBridge.addRule({
            name: wired.functionName,
            eventBusName: localEventBusName,
            pattern: wired.rule.pattern,
            target: (event) => {
              void busTargets.invoke(fn, event, 'bus event');
            },
          });
          break;
        }
      }
    }
    const scheduler = createLocalScheduler({ functions: scheduled, region: localRegion, log: warn });
    cleanups.push(async () => {
      await scheduler.stop();
      await Promise.all(pollers.map((poller) => poller.stop()));
      await bus.idle();
      await busTargets.idle();
    });
    for (const poller of pollers) await poller.start();
    if (options.periodicSchedules ?? true) scheduler.start();

    const startedAt = new Date().toISOString();
    const gateway: HttpGateway = await startHttpGateway({
      host,
      port: apiPort,
      routes,
      adminToken,
      roleTokens,
      // Wrong tokens are counted in the table's rate windows, as wrong API keys are.
      credentialChecks: {
        rateLimiter: new DynamoRateLimiter(documentClientFor(dynamodb), localTableName),
        clock: options.clock ?? new SystemClock(),
      },
      console: {
        root: join(repoRoot, 'console', 'dist'),
        config: { apiBase: '', signIn: { kind: 'token' } },
      },
      region: localRegion,
      log: (line) => console.error(line),
      ...(quiet ? {} : { accessLog: info }),
      local: {
        deadLetters: () => deadLetters.list(),
        sms: () => sns.messages(),
        events: () => eventBridge.events(),
        publish: async (topic, message) => {
          const name = TopicName.safeParse(topic);
          if (!name.success) throw new UnknownTopicError(`there is no topic "${topic}"`);
          return bus.publish(name.data, message);
        },
        status: async () => ({
          startedAt,
          persist,
          apiUrl,
          sesUrl: ses.endpoint,
          snsUrl: sns.endpoint,
          eventBridgeUrl: eventBridge.endpoint,
          dynamoEndpoint: dynamo.endpoint,
          tableName: localTableName,
          functions: wiring.map((wired) => ({
            name: wired.functionName,
            kind: wired.kind,
            entry: wired.entry,
          })),
          pollers: pollers.map((poller) => poller.status()),
          topics: bus.stats(),
          schedules: scheduler.status(),
          deadLetters: (await deadLetters.list()).length,
        }),
      },
    });
    cleanups.push(() => gateway.stop());

    const progress = () =>
      pollers.reduce(
        (sum, poller) => sum + poller.status().settledInvocations,
        bus.stats().settledDeliveries + busTargets.settled(),
      );

    let stopping: Promise<void> | undefined;
    return {
      apiUrl: gateway.url,
      consoleUrl: `${gateway.url}${consolePath}/`,
      sesUrl: ses.endpoint,
      snsUrl: sns.endpoint,
      eventBridgeUrl: eventBridge.endpoint,
      eventBusName: localEventBusName,
      dynamoEndpoint: dynamo.endpoint,
      dynamoLoopbackOnly: dynamo.loopbackOnly,
      adminToken,
      tableName: localTableName,
      environment,
      wiring,
      idle: async () => {
        // A handler can write what another poller reads, so repeat until a whole round invoked nothing.
        let before: number;
        do {
          before = progress();
          await scheduler.idle();
          await bus.idle();
          await busTargets.idle();
          await Promise.all(pollers.map((poller) => poller.idle()));
          await deadLetters.idle();
        } while (progress() !== before);
      },
      tick: () => scheduler.runOnce(),
      deadLetters: () => deadLetters.list(),
      invoke: (functionName, event) => {
        const fn = functions.get(functionName);
        if (fn === undefined)
          return Promise.reject(new UnknownFunctionError(`this stack has no function "${functionName}"`));
        return invoke(fn, event, localRegion);
      },
      stop: () => {
        stopping ??= runCleanups();
        return stopping;
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
};
