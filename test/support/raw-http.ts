import { request } from 'node:http';

/**
 * One HTTP request exactly as given: any method, a path sent byte for byte (encoded
 * slashes, `..`, malformed escapes), repeated or huge headers, and a source address
 * of the test's choosing. Every address in 127.0.0.0/8 reaches a server on 127.0.0.1,
 * so binding the client to one is how a test speaks as many callers from one machine.
 */
export interface RawRequest {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  method: string;
  /** The request target, sent as is: a path (or an absolute URL, or `*`), with no spaces or control characters. */
  path: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  /** The caller's address, e.g. 127.0.0.2. */
  from?: string;
}

export type RawResponse =
  | { kind: 'answered'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  /** The connection ended without an answer: what a client sees when a server gives up on a request. */
  | { kind: 'closed'; code: string };

export const sendRaw = (input: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(input.baseUrl);
    // A flat list, as Node takes raw headers: repeats and names such as `__proto__` go out as given.
    const headers: string[] = (input.headers ?? []).flat();
    const has = (wanted: string) => (input.headers ?? []).some(([name]) => name.toLowerCase() === wanted);
    // Given a list, Node adds no Host header of its own.
    if (!has('host')) headers.unshift('Host', url.host);
    // Node frames a DELETE's or GET's body only when told its length, as a browser would.
    if (input.body !== undefined && !has('content-length'))
      headers.push('Content-Length', String(Buffer.byteLength(input.body)));
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request({
        host: url.hostname,
        port: url.port,
        method: input.method,
        path: input.path,
        headers,
        ...(input.from === undefined ? {} : { localAddress: input.from }),
        // One connection per request, so a server closing it after an answer cannot spoil the next.
        agent: false,
      });
    } catch (error) {
      // Node's client refuses a method, path or header it cannot send: a mistake in the test.
      reject(error);
      return;
    }
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          kind: 'answered',
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ kind: 'closed', code: error.code ?? error.message }),
      );
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // Linux routes all of 127.0.0.0/8 to loopback; macOS only 127.0.0.1 unless each is aliased on lo0.
      if (error.code === 'EADDRNOTAVAIL' && input.from !== undefined)
        reject(
          new Error(
            `cannot send from ${input.from}: this machine has no such loopback address (on macOS: sudo ifconfig lo0 alias ${input.from})`,
          ),
        );
      else resolve({ kind: 'closed', code: error.code ?? error.message });
    });
    outgoing.end(input.body);
  });
