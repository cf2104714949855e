import {
  GetAccountCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  SESv2Client,
  SESv2ServiceException,
} from '@aws-sdk/client-sesv2';
import { isRecord } from '../../domain/is-record.js';
import {
  SesAccount,
  SesEmailIdentity,
  type SesReading,
  type SesUnreadableReason,
} from '../../domain/ses-account.js';
import type { SesAccountReader } from '../../ports/ses-account-reader.js';

export interface SesAccountReaderOptions {
  /** Unset: the SDK's own (AWS_REGION, then the profile's). */
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** How long to wait for a connection, in ms; a person is waiting for the check. */
  connectionTimeoutMs?: number;
}

/** Credentials that are missing, expired or not AWS's: the operator signs in again. */
const credentialErrors = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

/** Errors of the connection itself: nothing reached SES. */
const networkCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPIPE',
]);

const field = (error: unknown, name: string): string | undefined => {
  if (!isRecord(error)) return undefined;
  const value = error[name];
  return typeof value === 'string' ? value : undefined;
};

/** Why SES could not be read, from what the SDK threw. */
export const unreadableReason = (error: unknown): SesUnreadableReason => {
  const name = field(error, 'name') ?? '';
  const message = field(error, 'message') ?? '';
  if (credentialErrors.has(name)) return 'no-credentials';
  if (name === 'AccessDeniedException') return 'access-denied';
  if (/region is missing/i.test(message)) return 'no-region';
  if (error instanceof SESv2ServiceException) return 'failed';
  if (networkCodes.has(field(error, 'code') ?? '') || name === 'TimeoutError') return 'unreachable';
  return 'failed';
};

const detailOf = (error: unknown): string => {
  const message = field(error, 'message') ?? String(error);
  const [line = ''] = message.split('\n');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/** SES v2's GetAccount and GetEmailIdentity, read for the deliverability check. */
export class SesV2AccountReader implements SesAccountReader {
  private readonly client: SESv2Client;

  constructor(options: SesAccountReaderOptions = {}) {
    this.client = new SESv2Client({
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Offline, the default retries and timeouts keep a person waiting for minutes.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 5000, requestTimeout: 15_000 },
    });
  }

  async read(identity: string): Promise<SesReading> {
    try {
      const [account, found] = await Promise.all([
        this.client.send(new GetAccountCommand({})),
        this.identity(identity),
      ]);
      return {
        kind: 'read',
        region: await this.client.config.region(),
        account: SesAccount.parse(account),
        identity: found === null ? null : SesEmailIdentity.parse(found),
      };
    } catch (error) {
      return { kind: 'unreadable', reason: unreadableReason(error), detail: detailOf(error) };
    }
  }

  /** Null when the region has no identity of that name. */
  private async identity(name: string) {
    try {
      return await this.client.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
    } catch (error) {
      if (error instanceof NotFoundException) return null;
      throw error;
    }
  }
}
