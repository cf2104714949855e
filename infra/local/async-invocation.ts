import { describeError } from '../../lib/domain/error-text.js';
import type { DeadLetterSink } from './dead-letter-sink.js';
import { invoke, type LocalFunction } from './lambda-invoke.js';

/**
 * Lambda's asynchronous invocation, locally: what SNS subscriptions and
 * EventBridge rules use. A failing handler is retried (Lambda makes two more
 * attempts) and then its event goes to the dead-letter sink with the last error,
 * as the function's dead-letter queue receives it in the cloud.
 */

export interface AsyncInvocationOptions {
  region: string;
  deadLetters: DeadLetterSink;
  /** Retries after the first failure; Lambda's asynchronous invocation makes two. */
  retryAttempts?: number;
  retryDelayMs?: number;
  /** Where each failed attempt is reported. */
  log?: (line: string) => void;
}

export interface Delivery {
  functionName: string;
  /** false when the handler kept failing and the event was dead-lettered. */
  delivered: boolean;
}

export interface AsyncInvoker {
  /**
   * Resolves once the handler succeeded or the event was dead-lettered; never
   * rejects. `what` names the event in the log line of a failed attempt.
   */
  invoke(fn: LocalFunction, event: unknown, what: string): Promise<Delivery>;
  /** Resolves once no invocation is still running or waiting for a retry. */
  idle(): Promise<void>;
  /** Invocations that finished: delivered or dead-lettered. */
  settled(): number;
}

export const createAsyncInvoker = (options: AsyncInvocationOptions): AsyncInvoker => {
  const inFlight = new Set<Promise<unknown>>();
  let settled = 0;
  const retryAttempts = options.retryAttempts ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const log = options.log ?? ((line: string) => console.warn(line));

  const withRetries = async (fn: LocalFunction, event: unknown, what: string): Promise<Delivery> => {
    let lastError = '';
    for (let attempt = 0; attempt <= retryAttempts; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
      try {
        await invoke(fn, event, options.region);
        return { functionName: fn.functionName, delivered: true };
      } catch (error) {
        lastError = describeError(error);
        log(`[${fn.functionName}] ${what} failed (attempt ${attempt + 1}): ${lastError}`);
      }
    }
    options.deadLetters.add({
      functionName: fn.functionName,
      redriveAs: 'event',
      record: event,
      reason: `${lastError} (gave up after ${retryAttempts + 1} attempt${retryAttempts === 0 ? '' : 's'})`,
    });
    return { functionName: fn.functionName, delivered: false };
  };

  return {
    invoke: (fn, event, what) => {
      const delivery = withRetries(fn, event, what).finally(() => {
        settled += 1;
        inFlight.delete(delivery);
      });
      inFlight.add(delivery);
      return delivery;
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    settled: () => settled,
  };
};
