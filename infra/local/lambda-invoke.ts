import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { withInvocationEnvironment } from '../../lib/config/invocation-environment.js';
import type { RuntimeEnv } from '../../lib/config/runtime-env.js';

/** A handler as the local runtime calls it: event and context in, promise of the result out. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  functionName: string;
  memoryMb: number;
  timeoutSeconds: number;
  handler: LocalHandler;
}

export class HandlerNotFoundError extends Error {
  override readonly name = 'HandlerNotFoundError';
}

export const localAccountId = '000000000000';

/**
 * The context object Lambda passes; Powertools reads the function's name, ARN,
 * memory and request id from it. `stopping` tells a run the local stack is
 * shutting down: its time is up, so a run that waits (a campaign's pace) ends
 * at its next look instead of holding Ctrl+C up.
 */
export const lambdaContext = (
  fn: Omit<LocalFunction, 'handler'>,
  region: string,
  stopping: () => boolean = () => false,
): Context => {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${localAccountId}:function:${fn.functionName}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/${awsRequestId}`,
    getRemainingTimeInMillis: () => (stopping() ? 0 : Math.max(0, deadline - Date.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

export const invoke = (
  fn: LocalFunction,
  event: unknown,
  region: string,
  stopping?: () => boolean,
): Promise<unknown> => fn.handler(event, lambdaContext(fn, region, stopping));

/**
 * Imports a topology entry's module the way Lambda would load it: by path, from the
 * folder entries are relative to, and takes its `handler` export.
 */
export const loadHandler = async (root: string, entry: string): Promise<LocalHandler> => {
  const url = pathToFileURL(`${root.replace(/\/+$/, '')}/${entry}`).href;
  const loaded: unknown = await import(url);
  const handler =
    typeof loaded === 'object' && loaded !== null && 'handler' in loaded ? loaded.handler : undefined;
  if (typeof handler !== 'function')
    throw new HandlerNotFoundError(`${entry} does not export a function named "handler"`);
  return async (event, context) => {
    const result: unknown = await handler(event, context);
    return result;
  };
};

/**
 * The handler with its stack's environment: each invocation, and everything it
 * starts, runs with it (lib/config/invocation-environment.ts). Lambda gives each
 * function its environment by process; one local process runs every function of
 * one or more stacks, so the environment goes with the invocation instead.
 */
export const withEnvironment =
  (handler: LocalHandler, environment: RuntimeEnv): LocalHandler =>
  (event, context) =>
    withInvocationEnvironment(environment, () => handler(event, context));
