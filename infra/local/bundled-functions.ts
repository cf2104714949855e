import { join } from 'node:path';
import { InvalidEnvironmentError, parseRuntimeEnv } from '../../lib/config/runtime-env.js';
import type { Clock } from '../../lib/ports/clock.js';
import { sharedFunctionSettings } from '../cloud/shared-function-environment.js';
import { bundledFunction } from './bundled-function.js';
import { readAssemblyFunctions, synthesizeIfStale, type TemplateFunction } from './cloud-assembly.js';
import { invoke, type LocalFunction, localAccountId } from './lambda-invoke.js';
import { startNoStandIn } from './no-stand-in.js';
import { type SecretsLocal, startSecretsLocal } from './secrets-local.js';
import { createTaskRoots } from './task-roots.js';
import { lambdaRuntimeVariables, resolveTemplateVariables } from './template-environment.js';
import type { LocalWiring } from './wiring-plan.js';

/**
 * `npm start -- --bundles`: every function of the stack from the bundle `cdk synth`
 * made for it, with the environment its template declares (Decision 62). What the
 * template's variables name is resolved to the local stack's stand-ins; the only
 * variables added are Lambda's own (`lambdaRuntimeVariables`), the SDK endpoints of
 * the stand-ins (`endpointVariables`), the run's deployment settings
 * (`checkBundleOptions`), and Powertools' local defaults where the template sets none.
 */

/**
 * The SDK endpoint overrides: in Lambda the SDK finds AWS by itself; here each must
 * be told where its stand-in listens. lib/config/runtime-env.ts reads the first
 * five, which are absent in the cloud. AWS_ENDPOINT_URL is the SDK's own setting,
 * for every client given no endpoint: it points at a stand-in that refuses every
 * call (infra/local/no-stand-in.ts), so a client for a service the local runtime
 * does not stand in for fails here, naming the call, instead of reaching AWS.
 */
export const endpointVariables = [
  'DYNAMODB_ENDPOINT',
  'SES_ENDPOINT',
  'SNS_ENDPOINT',
  'EVENTBRIDGE_ENDPOINT',
  'SECRETS_ENDPOINT',
  'AWS_ENDPOINT_URL',
] as const;
export type Endpoints = Record<(typeof endpointVariables)[number], string>;

export class BundleOptionError extends Error {
  override readonly name = 'BundleOptionError';
}

export class FunctionNotSynthesizedError extends Error {
  override readonly name = 'FunctionNotSynthesizedError';
}

/**
 * Refuses what the bundles cannot be run with, before anything starts: a clock (the
 * bundles carry their own copy of the code that would read it, and read the
 * system's, as in Lambda), and a setting no deployment can give the functions. A
 * setting a deployment gives every function from its context
 * (infra/cloud/shared-function-environment.ts) is taken, as `cdk synth -c` would
 * declare it; the runtime's own RAPPORT_* settings are its own.
 */
export const checkBundleOptions = (options: { clock?: Clock; env?: Record<string, string> }): void => {
  if (options.clock !== undefined)
    throw new BundleOptionError(
      'clock: the bundles read the system clock, as in Lambda; run from source to hand them another',
    );
  const undeployable = Object.keys(options.env ?? {}).filter(
    (name) => !name.startsWith('RAPPORT_') && !sharedFunctionSettings.has(name),
  );
  if (undeployable.length > 0)
    throw new BundleOptionError(
      `env: ${undeployable.join(', ')} cannot be set on the bundles: no deployment declares ${undeployable.length === 1 ? 'it' : 'them'} (the settings a deployment gives every function are ${[...sharedFunctionSettings].join(', ')})`,
    );
};

export interface EnvironmentParts {
  /** The template's variables for the function, resolved. */
  declared: Record<string, string>;
  /** The local gateway's URL and origins, which stand in for the API Gateway's. */
  gateway: { url: string; origins: string };
  /** Settings of the run that a deployment gives every function (checkBundleOptions). */
  settings: Record<string, string>;
  /** What Lambda itself sets (lambdaRuntimeVariables). */
  lambda: Record<string, string>;
  endpoints: Endpoints;
  /** Powertools settings of the runtime's process; each applies only where the template sets none. */
  observability: Record<string, string>;
}

/**
 * One function's whole process environment. Of the template's variables, two name
 * what only exists in AWS and are pointed at the local gateway: PUBLIC_BASE_URL (the
 * REST API's URL, or the configured domain) becomes the gateway's URL, so the links
 * in mail lead to this machine; ALLOWED_ORIGINS keeps the template's origins and
 * adds the gateway's own, whose pages post to it. No other variable is added than
 * the parts listed.
 */
export const bundleEnvironment = (parts: EnvironmentParts): Record<string, string> => {
  const { declared } = parts;
  const local: Record<string, string> = {};
  if (declared.PUBLIC_BASE_URL !== undefined) local.PUBLIC_BASE_URL = parts.gateway.url;
  if (declared.ALLOWED_ORIGINS !== undefined)
    local.ALLOWED_ORIGINS = [parts.gateway.origins, declared.ALLOWED_ORIGINS].filter(Boolean).join(',');
  const observability = Object.fromEntries(
    Object.entries(parts.observability).filter(([name]) => declared[name] === undefined),
  );
  return {
    ...observability,
    ...declared,
    ...local,
    ...parts.settings,
    ...parts.lambda,
    ...parts.endpoints,
  };
};

export interface BundledFunctionsOptions {
  root: string;
  wiring: readonly LocalWiring[];
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  eventBusName: string;
  /** The stand-ins' endpoints but the two that start here. */
  endpoints: Omit<Endpoints, 'SECRETS_ENDPOINT' | 'AWS_ENDPOINT_URL'>;
  gateway: { url: string; origins: string };
  /** The link-signing keys as JSON: the secret TOKEN_KEYS_SECRET_ARN names holds them. */
  tokenKeys: string;
  /** The run's settings, checked by checkBundleOptions; RAPPORT_* ones are left out. */
  env: Record<string, string>;
  observability: Record<string, string>;
  log: (line: string) => void;
}

export interface BundledFunctions {
  functions: Map<string, LocalFunction>;
  stop(): Promise<void>;
}

const templateFunctionFor = (
  wired: LocalWiring,
  found: readonly TemplateFunction[],
): TemplateFunction & { assetPath: string } => {
  const fn = found.find((candidate) => candidate.name === wired.functionName);
  if (fn === undefined)
    throw new FunctionNotSynthesizedError(
      `function "${wired.functionName}" is in the topology but not in the synthesized template`,
    );
  const { assetPath } = fn;
  if (assetPath === undefined)
    throw new FunctionNotSynthesizedError(`function "${wired.functionName}" has no bundle in the assembly`);
  return { ...fn, assetPath };
};

/** Synthesizes if cdk.out is stale, then readies every wired function's bundle; none starts before its first invocation. */
export const startBundledFunctions = async (options: BundledFunctionsOptions): Promise<BundledFunctions> => {
  const assemblyDir = await synthesizeIfStale(options.root, options.log);
  const { functions: found, resources } = await readAssemblyFunctions(assemblyDir);
  const running: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of running.splice(0).reverse()) await part.stop();
  };
  try {
    const secrets: SecretsLocal = await startSecretsLocal({ port: 0 });
    running.push(secrets);
    const functions = new Map<string, LocalFunction>();
    const elsewhere = await startNoStandIn({
      port: 0,
      invoke: () => async (name, event) => {
        const fn = functions.get(name);
        if (fn === undefined) throw new Error(`there is no local function "${name}"`);
        return invoke(fn, event, options.region);
      },
    });
    running.push(elsewhere);
    const taskRoots = await createTaskRoots(join(options.root, 'node_modules', '@aws-sdk'));
    running.push({ stop: () => taskRoots.remove() });
    const settings = Object.fromEntries(
      Object.entries(options.env).filter(([name]) => sharedFunctionSettings.has(name)),
    );
    for (const wired of options.wiring) {
      const fn = templateFunctionFor(wired, found);
      const declared = resolveTemplateVariables(fn.name, fn.variables, resources, {
        region: options.region,
        accountId: localAccountId,
        tableName: options.tableName,
        eventBusName: options.eventBusName,
        // The local runtime keeps no SQS queues (its dead letters go to its store): one reads as empty.
        queueOrigin: elsewhere.endpoint,
      });
      const environment = bundleEnvironment({
        declared,
        gateway: options.gateway,
        settings,
        lambda: lambdaRuntimeVariables({
          functionName: fn.name,
          memoryMb: fn.memoryMb,
          handler: fn.handler,
          runtime: fn.runtime,
          region: options.region,
          credentials: options.credentials,
        }),
        endpoints: {
          ...options.endpoints,
          SECRETS_ENDPOINT: secrets.endpoint,
          AWS_ENDPOINT_URL: elsewhere.endpoint,
        },
        observability: options.observability,
      });
      try {
        // The check its cold start makes, made now, so a start with a bad environment stops naming the function.
        parseRuntimeEnv(environment);
      } catch (error) {
        if (error instanceof InvalidEnvironmentError)
          throw new InvalidEnvironmentError(`function "${fn.name}" (${fn.logicalId}): ${error.message}`, {
            cause: error,
          });
        throw error;
      }
      if (environment.TOKEN_KEYS_SECRET_ARN !== undefined)
        secrets.put(environment.TOKEN_KEYS_SECRET_ARN, options.tokenKeys);
      const bundled = bundledFunction({
        functionName: fn.name,
        taskRoot: await taskRoots.stage(fn.name, join(assemblyDir, fn.assetPath)),
        handler: fn.handler,
        environment,
      });
      running.push(bundled);
      functions.set(fn.name, {
        functionName: fn.name,
        memoryMb: fn.memoryMb,
        timeoutSeconds: fn.timeoutSeconds,
        handler: bundled.handler,
      });
    }
    return { functions, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
