import { AsyncLocalStorage } from 'node:async_hooks';
import { parseRuntimeEnv, type RuntimeEnv } from './runtime-env.js';

/**
 * Where a handler's environment comes from.
 *
 * In Lambda a process serves one function with one environment: process.env,
 * parsed once. The local runtime serves every function of a stack in one process,
 * and a process may hold more than one stack (tests start stacks with different
 * settings side by side), so it hands each invocation its stack's environment
 * instead, and never touches process.env. It says so before it imports the first
 * handler; from then on process.env is not read, and a handler called outside one
 * of its invocations fails instead of reading the wrong environment.
 */

const supplied = new AsyncLocalStorage<RuntimeEnv>();
let suppliedPerInvocation = false;
let fromProcess: RuntimeEnv | undefined;

export class NoInvocationEnvironmentError extends Error {
  override readonly name = 'NoInvocationEnvironmentError';
}

/** The local runtime: every invocation brings its environment (see withInvocationEnvironment). */
export const supplyEnvironmentPerInvocation = (): void => {
  suppliedPerInvocation = true;
};

export const environmentSuppliedPerInvocation = (): boolean => suppliedPerInvocation;

/** Runs one invocation (and everything it starts) with `env` as its environment. */
export const withInvocationEnvironment = <T>(env: RuntimeEnv, invocation: () => T): T =>
  supplied.run(env, invocation);

/** The environment of the invocation in progress. */
export const invocationEnvironment = (): RuntimeEnv => {
  const env = supplied.getStore();
  if (env !== undefined) return env;
  if (suppliedPerInvocation) {
    throw new NoInvocationEnvironmentError(
      'a handler ran outside an invocation of the local runtime, which gives each invocation its environment; ' +
        'invoke it through the stack (LocalStack.invoke)',
    );
  }
  fromProcess ??= parseRuntimeEnv(process.env);
  return fromProcess;
};
