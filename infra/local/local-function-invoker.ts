import { describeError } from '../../lib/domain/error-text.js';
import { FunctionFailedError } from '../../lib/domain/errors.js';
import type { FunctionInvoker } from '../../lib/ports/function-invoker.js';
import { invoke, type LocalFunction } from './lambda-invoke.js';

/**
 * Lambda's synchronous Invoke, locally: a redrive hands a dead letter's record to
 * the stack's own function, which runs as any invocation does. What the handler
 * throws is the function failing the event, as Lambda's `FunctionError` says.
 */
export const localFunctionInvoker = (
  functionNamed: (name: string) => LocalFunction | undefined,
  region: string,
): FunctionInvoker => ({
  invoke: async (functionName, event) => {
    const fn = functionNamed(functionName);
    if (fn === undefined) throw new FunctionFailedError(`this stack has no function "${functionName}"`);
    try {
      return await invoke(fn, event, region);
    } catch (error) {
      throw new FunctionFailedError(describeError(error), { cause: error });
    }
  },
});
