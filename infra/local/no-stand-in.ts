import { AwsFault, startAwsStandIn } from './aws-stand-in.js';

/**
 * Where a bundle's AWS client lands when the local runtime has no stand-in for its
 * service: `AWS_ENDPOINT_URL`, which the v3 SDK reads for every client not given an
 * endpoint of its own. Each call is refused, naming the operation, so a function
 * run from its bundle never reaches AWS with the local runtime's keys, and the
 * missing stand-in is named where it shows. `GET /refused` lists what was refused.
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

export const startNoStandIn = async (options: { port: number; host?: string }): Promise<NoStandIn> => {
  const refused: Array<{ operation: string; at: string }> = [];
  const standIn = await startAwsStandIn({
    port: options.port,
    host: options.host,
    listPath: '/refused',
    listed: () => refused,
    usage: 'Every AWS call is refused here: the local runtime has no stand-in for its service.\n',
    answer: (body, request) => {
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
