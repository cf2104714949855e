import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { describeError } from '../../lib/domain/error-text.js';
import { HandlerNotFoundError, type LocalHandler } from './lambda-invoke.js';

/**
 * One function run from its bundle, the way Lambda runs it: in an execution
 * environment of its own (a worker thread, with its own process.env, module graph
 * and Powertools), started at the first invocation (the cold start) and kept for the
 * next ones. If its cold start fails, or it dies (an uncaught error, process.exit),
 * the invocations in it fail and the next invocation starts a fresh one, as Lambda
 * does.
 */

export interface BundledFunctionOptions {
  functionName: string;
  /** The folder holding the bundle, as Lambda unpacks it (infra/local/task-roots.ts). */
  taskRoot: string;
  /** Lambda's Handler setting: `<file>.<export>`, e.g. `index.handler`. */
  handler: string;
  /** The whole of the function's process.env. */
  environment: Record<string, string>;
}

export interface BundledFunction {
  handler: LocalHandler;
  /** Ends its execution environment; invocations in it fail. */
  stop(): Promise<void>;
}

/** The function's cold start failed: the bundle would not load, or has no such handler. */
export class FunctionInitError extends Error {
  override readonly name = 'FunctionInitError';
}

/** The function's execution environment ended while invocations were in it. */
export class FunctionRuntimeExitedError extends Error {
  override readonly name = 'FunctionRuntimeExitedError';
}

const RemoteError = z.object({ name: z.string(), message: z.string(), stack: z.string().optional() });
type RemoteError = z.infer<typeof RemoteError>;

/** What bundle-host.mjs posts back. */
const HostMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('init-failed'), error: RemoteError }),
  z.object({ kind: z.literal('result'), id: z.number(), value: z.unknown() }),
  z.object({ kind: z.literal('failed'), id: z.number(), error: RemoteError }),
]);

/** A handler's error as the caller of an in-process handler would see it: its name, message and stack. */
const errorFrom = (remote: RemoteError): Error => {
  const error = new Error(remote.message);
  error.name = remote.name;
  if (remote.stack !== undefined) error.stack = remote.stack;
  return error;
};

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Lambda's nodejs runtime reads `<file>.<export>` and looks for the file as .js, .mjs, then .cjs. */
export const handlerModule = async (
  taskRoot: string,
  handler: string,
): Promise<{ moduleUrl: string; exportName: string }> => {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1)
    throw new HandlerNotFoundError(`handler "${handler}" is not <file>.<export>`);
  const file = join(taskRoot, handler.slice(0, dot));
  for (const extension of ['.js', '.mjs', '.cjs']) {
    if (await exists(`${file}${extension}`))
      return { moduleUrl: pathToFileURL(`${file}${extension}`).href, exportName: handler.slice(dot + 1) };
  }
  throw new HandlerNotFoundError(`handler "${handler}": no ${file}.js, .mjs or .cjs`);
};

const hostUrl = new URL('./bundle-host.mjs', import.meta.url);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface ExecutionEnvironment {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why it ended, once it has. */
  ended?: Error;
}

export const bundledFunction = (options: BundledFunctionOptions): BundledFunction => {
  const { functionName } = options;
  let current: Promise<ExecutionEnvironment> | undefined;
  const workers = new Set<Worker>();
  let stopped = false;
  let nextId = 0;

  /** `onEnd` is told when the environment ends, so the next invocation starts another. */
  const coldStart = async (onEnd: () => void): Promise<ExecutionEnvironment> => {
    const { moduleUrl, exportName } = await handlerModule(options.taskRoot, options.handler);
    const sourceMaps = (options.environment.NODE_OPTIONS ?? '').split(/\s+/).includes('--enable-source-maps');
    return new Promise((resolve, reject) => {
      // No execArgv: the bundle runs on plain Node, without the loaders that run this file.
      const worker = new Worker(hostUrl, {
        env: options.environment,
        execArgv: [],
        workerData: { functionName, moduleUrl, exportName, sourceMaps },
      });
      workers.add(worker);
      const environment: ExecutionEnvironment = { worker, pending: new Map() };
      let ready = false;
      const end = (error: Error) => {
        if (environment.ended !== undefined) return;
        environment.ended = error;
        workers.delete(worker);
        onEnd();
        for (const invocation of environment.pending.values()) invocation.reject(error);
        environment.pending.clear();
        if (!ready) reject(error);
        void worker.terminate();
      };
      worker.on('message', (raw: unknown) => {
        const message = HostMessage.safeParse(raw);
        if (!message.success) {
          end(new FunctionRuntimeExitedError(`${functionName} sent what is not a runtime message`));
          return;
        }
        const data = message.data;
        switch (data.kind) {
          case 'ready':
            ready = true;
            resolve(environment);
            return;
          case 'init-failed':
            end(new FunctionInitError(`${functionName}'s cold start failed: ${data.error.message}`));
            return;
          case 'result':
            environment.pending.get(data.id)?.resolve(data.value);
            environment.pending.delete(data.id);
            return;
          case 'failed':
            environment.pending.get(data.id)?.reject(errorFrom(data.error));
            environment.pending.delete(data.id);
            return;
        }
      });
      worker.on('error', (error) =>
        end(
          new FunctionRuntimeExitedError(`${functionName}'s runtime failed: ${describeError(error)}`, {
            cause: error,
          }),
        ),
      );
      worker.on('exit', (code) =>
        end(new FunctionRuntimeExitedError(`${functionName}'s runtime exited with code ${code}`)),
      );
    });
  };

  const environmentForNextInvocation = (): Promise<ExecutionEnvironment> => {
    if (current === undefined) {
      const starting: Promise<ExecutionEnvironment> = coldStart(() => {
        if (current === starting) current = undefined;
      });
      current = starting;
      starting.catch(() => {
        if (current === starting) current = undefined;
      });
    }
    return current;
  };

  const handler: LocalHandler = async (event, context) => {
    if (stopped) throw new FunctionRuntimeExitedError(`${functionName} was stopped with its stack`);
    // Taken before a cold start: as in Lambda, the function's timeout starts once its init is done.
    const remainingMs = context.getRemainingTimeInMillis();
    const { worker, pending, ended } = await environmentForNextInvocation();
    if (ended !== undefined) throw ended;
    nextId += 1;
    const id = nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const message = {
        id,
        event,
        // A context's methods stay here; the runtime builds its own from these.
        context: {
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          remainingMs,
        },
      };
      try {
        worker.postMessage(message);
      } catch (error) {
        // An event that cannot be cloned never reaches the function.
        pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  };

  return {
    handler,
    stop: async () => {
      stopped = true;
      await Promise.all([...workers].map((worker) => worker.terminate()));
    },
  };
};
