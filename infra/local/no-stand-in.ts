import { AwsFault, startAwsStandIn } from './aws-stand-in.js';

/**
 * Where a bundle's AWS client lands when the local runtime has no stand-in of its
 * own for the service: `AWS_ENDPOINT_URL`, which the v3 SDK reads for every client
 * not given an endpoint. Two calls are answered as the local runtime would: Lambda's
 * Invoke runs the named local function (a redrive), and SQS's ReceiveMessage finds
 * nothing, since the local runtime keeps no queues (its dead letters go straight to
 * the store). Every other call is refused, naming the operation, so a function run
 * from its bundle never reaches AWS with the local runtime's keys, and the missing
 * stand-in is named where it shows. `GET /refused` lists what was refused.
 */

export interface NoStandIn {
  endpoint: string;
  stop(): Promise<void>;
}

/** The operation a call names: JSON protocols in X-Amz-Target, Query in Action, REST in its path. */
const operationOf = (body: string, target: string | string[] | undefined, path: string): string => {
  if (typeof target === 'string') return target;
  const action = new URLSearchParams(body).get('Action');
  return action ?? `POST ${path}`;
};

const invocationPath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Runs a local function by its name with an event; rejects when the function threw. */
export type LocalInvoke = (functionName: string, event: unknown) => Promise<unknown>;

const errorPayload = (error: unknown): string =>
  JSON.stringify({
    errorType: error instanceof Error ? error.name : 'Error',
    errorMessage: error instanceof Error ? error.message : String(error),
  });

export const startNoStandIn = async (options: {
  port: number;
  host?: string;
  /** Lambda's Invoke, as the local runtime runs its functions; known only once they are loaded. */
  invoke?: () => LocalInvoke | undefined;
}): Promise<NoStandIn> => {
  const refused: Array<{ operation: string; at: string }> = [];
  const standIn = await startAwsStandIn({
    port: options.port,
    host: options.host,
    listPath: '/refused',
    listed: () => refused,
    usage: 'Every AWS call is refused here: the local runtime has no stand-in for its service.\n',
    answer: async (body, request) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const invoke = options.invoke?.();
      const invoked = invocationPath.exec(path)?.[1];
      if (invoked !== undefined && invoke !== undefined) {
        try {
          const result = await invoke(
            decodeURIComponent(invoked),
            body === '' ? undefined : JSON.parse(body),
          );
          return { status: 200, contentType: 'application/json', body: JSON.stringify(result ?? null) };
        } catch (error) {
          // As Lambda answers a function that threw: 200, with the error as the payload.
          return {
            status: 200,
            contentType: 'application/json',
            headers: { 'x-amz-function-error': 'Unhandled' },
            body: errorPayload(error),
          };
        }
      }
      if (request.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage')
        return {
          status: 200,
          contentType: 'application/x-amz-json-1.0',
          body: JSON.stringify({ Messages: [] }),
        };
      const operation = operationOf(body, request.headers['x-amz-target'], request.url ?? '/');
      refused.push({ operation, at: new Date().toISOString() });
      throw new AwsFault(
        501,
        'NoLocalStandIn',
        `the local runtime has no stand-in for ${operation}; it would reach AWS from a bundle`,
      );
    },
    refuse: (fault) => ({
      status: fault.status,
      contentType: 'application/json',
      headers: { 'x-amzn-errortype': fault.code },
      body: JSON.stringify({ __type: fault.code, message: fault.message }),
    }),
    internalErrorCode: 'NoLocalStandIn',
  });
  return { endpoint: standIn.endpoint, stop: () => standIn.stop() };
};
