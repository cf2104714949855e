import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A refusal the SDK turns into its named exception; each protocol writes it its own way. */
export class AwsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StandInAnswer {
  status: number;
  contentType: string;
  body: string;
  /** Beyond the content type and the request id, which every answer carries. */
  headers?: Record<string, string>;
}

export interface AwsStandIn {
  endpoint: string;
  stop(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

const write = (response: ServerResponse, answer: StandInAnswer): void => {
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-type': answer.contentType,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(answer.body);
};

/**
 * The HTTP server under the local stand-ins for AWS APIs, which differ only in the
 * protocol they speak. `GET listPath` lists what the stand-in recorded, as JSON, for
 * people and tests to read; anything else but a POST gets `usage` with a 404. A
 * POST's body goes to `answer`; what it throws is written by `refuse`, an AwsFault
 * as it is and anything else as a 500 under `internalErrorCode`, the code the
 * service uses for its own failures.
 */
export const startAwsStandIn = async (options: {
  port: number;
  host?: string;
  listPath: string;
  listed: () => unknown;
  usage: string;
  answer: (body: string, request: IncomingMessage) => StandInAnswer | Promise<StandInAnswer>;
  refuse: (fault: AwsFault) => StandInAnswer;
  internalErrorCode: string;
}): Promise<AwsStandIn> => {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === options.listPath) {
      write(response, {
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(options.listed()),
      });
      return;
    }
    if (request.method !== 'POST') {
      write(response, { status: 404, contentType: 'text/plain', body: options.usage });
      return;
    }
    readBody(request)
      .then(async (body) => write(response, await options.answer(body, request)))
      .catch((error: unknown) => {
        const fault =
          error instanceof AwsFault
            ? error
            : new AwsFault(
                500,
                options.internalErrorCode,
                error instanceof Error ? error.message : String(error),
              );
        write(response, options.refuse(fault));
      });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
