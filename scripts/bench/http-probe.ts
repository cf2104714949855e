import { Agent, createServer, request } from 'node:http';
import { wallClockMs } from './invocation-probe.js';

/**
 * A pass-through in front of a local HTTP service (the SES emulator, DynamoDB
 * Local) that notes when each request reached it and when its answer went back:
 * the latency benchmark points the handlers' endpoint settings at one to time a
 * hop from outside the functions. Requests and answers are forwarded untouched.
 */

export interface Exchange {
  /** Milliseconds since the epoch: the request's arrival, and the answer's last byte handed back. */
  startedAt: number;
  endedAt: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answer: string;
}

export interface HttpProbe<T> {
  url: string;
  /** What `keep` returned for each exchange so far, in the order the answers went back. */
  kept(): readonly T[];
  stop(): Promise<void>;
}

/**
 * Listens on a free loopback port and forwards to `target` (e.g. http://127.0.0.1:8005);
 * `keep` picks what to remember of an exchange (undefined: nothing), once its answer is out.
 */
export const startHttpProbe = async <T>(
  target: string,
  keep: (exchange: Exchange) => T | undefined,
): Promise<HttpProbe<T>> => {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const kept: T[] = [];
  const server = createServer((incoming, outgoing) => {
    const startedAt = wallClockMs();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded = request(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(answerBody, () => {
              const remembered = keep({
                startedAt,
                endedAt: wallClockMs(),
                status: answer.statusCode ?? 0,
                headers: incoming.headers,
                body: body.toString('utf8'),
                answer: answerBody.toString('utf8'),
              });
              if (remembered !== undefined) kept.push(remembered);
            });
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the probe has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    kept: () => kept,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        agent.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
