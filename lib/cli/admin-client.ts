import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`the admin API answered ${status}: ${describeBody(body)}`);
  }
}

const describeBody = (body: unknown): string => {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error;
    if (typeof error === 'object' && error !== null && 'message' in error) {
      const fields =
        'fields' in error && typeof error.fields === 'object' ? ` ${JSON.stringify(error.fields)}` : '';
      return `${String(error.message)}${fields}`;
    }
  }
  return JSON.stringify(body);
};

export interface AdminConnection {
  baseUrl: string;
  /** Locally: the admin bearer token. */
  token?: string;
  /** In the cloud: sign with SigV4 for API Gateway's IAM auth, in this region. */
  awsRegion?: string;
}

/** A body sent as it is, with its own media type (a CSV file), instead of as JSON. */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

export type AdminClient = (method: string, path: string, body?: unknown) => Promise<unknown>;

const signed = async (
  connection: AdminConnection & { awsRegion: string },
  url: URL,
  method: string,
  body?: { text: string; contentType: string },
) => {
  const signer = new SignatureV4({
    credentials: defaultProvider(),
    region: connection.awsRegion,
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...(body === undefined ? {} : { 'content-type': body.contentType }) },
      ...(body === undefined ? {} : { body: body.text }),
    }),
  );
  return request.headers;
};

/** A JSON client for the admin API that authenticates the way the target runtime expects. */
export const adminClient =
  (connection: AdminConnection): AdminClient =>
  async (method, path, body) => {
    const url = new URL(`${connection.baseUrl.replace(/\/+$/, '')}${path}`);
    const payload =
      body === undefined
        ? undefined
        : body instanceof RawBody
          ? { text: body.text, contentType: body.contentType }
          : { text: JSON.stringify(body), contentType: 'application/json' };
    const headers =
      connection.awsRegion !== undefined
        ? await signed({ ...connection, awsRegion: connection.awsRegion }, url, method, payload)
        : {
            ...(connection.token === undefined ? {} : { authorization: `Bearer ${connection.token}` }),
            ...(payload === undefined ? {} : { 'content-type': payload.contentType }),
          };
    const response = await fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload.text }),
    });
    const raw = await response.text();
    let parsed: unknown = raw;
    try {
      parsed = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!response.ok) throw new AdminApiError(response.status, parsed);
    return parsed;
  };
