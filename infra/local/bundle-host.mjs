/**
 * Runs one function's bundle in a worker thread, as Lambda's Node.js runtime runs it
 * in a process of its own: process.env is the function's environment (the worker is
 * created with it), the bundle is imported once (its cold start), and each
 * `invoke` message calls its handler with an event and a context. Plain JavaScript,
 * started with no loader, so the bundle runs with nothing the repository's tooling
 * would add (infra/local/bundled-function.ts starts it).
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (port === null) throw new Error('bundle-host.mjs runs in a worker thread');

const describeError = (error) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: 'Error', message: String(error) };

// The AWS SDK warns once per module graph that this Node is older than it will
// need: the runtime's own clients have said so already, and every execution
// environment would say it again. Other warnings are still printed, with the function's name.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.message.startsWith('NodeVersionSupportWarning')) return;
  process.stderr.write(`(${workerData.functionName}) ${warning.name}: ${warning.message}\n`);
});

// What NODE_OPTIONS=--enable-source-maps does for the function in Lambda: stack traces name the sources.
if (workerData.sourceMaps === true) process.setSourceMapsEnabled(true);

let handler;
try {
  const loaded = await import(workerData.moduleUrl);
  handler = loaded[workerData.exportName];
  if (typeof handler !== 'function') {
    throw new TypeError(
      `${workerData.moduleUrl} does not export a function named "${workerData.exportName}"`,
    );
  }
} catch (error) {
  port.postMessage({ kind: 'init-failed', error: describeError(error) });
}

if (typeof handler === 'function') {
  port.on('message', async (message) => {
    const { id, event, context } = message;
    const deadline = Date.now() + context.remainingMs;
    const lambdaContext = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    try {
      const value = await handler(event, lambdaContext);
      port.postMessage({ kind: 'result', id, value });
    } catch (error) {
      port.postMessage({ kind: 'failed', id, error: describeError(error) });
    }
  });
  port.postMessage({ kind: 'ready' });
}
