/**
 * Hands an event to one of the deployment's functions, by its topology name, and
 * waits for its answer, as Lambda's synchronous Invoke does: what a redrive uses.
 */
export interface FunctionInvoker {
  /** The function's answer; throws FunctionFailedError when the function failed the event. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
}
