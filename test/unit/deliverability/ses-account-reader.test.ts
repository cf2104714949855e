import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesV2AccountReader, unreadableReason } from '../../../lib/adapters/ses/ses-account-reader.js';
import {
  dkimTokens,
  domain,
  mailFromDomain,
  productionAccount,
  readingOf,
  verifiedIdentity,
} from './support/ses-answers.js';

/**
 * SES v2 over the wire, as the SDK reads it: GetAccount and GetEmailIdentity answer
 * JSON under /v2/email, and errors name their type in `x-amzn-ErrorType`.
 */
const portOf = (listening: Server): number => {
  const address = listening.address();
  if (address === null || typeof address === 'string')
    throw new Error('the server is not listening on a port');
  return address.port;
};

const wire: Record<string, { status: number; body: unknown; errorType?: string }> = {};
let server: Server;
let endpoint: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => {
      const answer = wire[request.url ?? ''] ?? {
        status: 404,
        body: { message: 'no route' },
        errorType: 'NotFoundException',
      };
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.errorType === undefined ? {} : { 'x-amzn-ErrorType': answer.errorType }),
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${portOf(server)}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const reader = (at = endpoint) =>
  new SesV2AccountReader({
    region: 'eu-west-1',
    endpoint: at,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    connectionTimeoutMs: 1000,
  });

const accountJson = {
  DedicatedIpAutoWarmupEnabled: false,
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendQuota: { Max24HourSend: 50000.0, MaxSendRate: 14.0, SentLast24Hours: 1234.0 },
  SendingEnabled: true,
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  Details: {
    MailType: 'MARKETING',
    WebsiteURL: `https://${domain}`,
    ContactLanguage: 'EN',
    AdditionalContactEmailAddresses: [`ops@${domain}`],
    ReviewDetails: { Status: 'GRANTED', CaseId: '172839465001' },
  },
  VdmAttributes: { VdmEnabled: 'DISABLED' },
};

const identityJson = {
  IdentityType: 'DOMAIN',
  FeedbackForwardingStatus: true,
  VerifiedForSendingStatus: true,
  VerificationStatus: 'SUCCESS',
  DkimAttributes: {
    SigningEnabled: true,
    Status: 'SUCCESS',
    Tokens: [...dkimTokens],
    SigningHostedZone: 'dkim.amazonses.com',
    SigningAttributesOrigin: 'AWS_SES',
    NextSigningKeyLength: 'RSA_2048_BIT',
    CurrentSigningKeyLength: 'RSA_2048_BIT',
    LastKeyGenerationTimestamp: 1788249600,
  },
  MailFromAttributes: {
    MailFromDomain: mailFromDomain,
    MailFromDomainStatus: 'SUCCESS',
    BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
  },
  Policies: {},
  Tags: [],
  ConfigurationSetName: 'rapport-feedback',
};

describe('the SES account reader', () => {
  it('reads GetAccount and GetEmailIdentity into the reading the check takes, with its region', async () => {
    wire['/v2/email/account'] = { status: 200, body: accountJson };
    wire[`/v2/email/identities/${domain}`] = { status: 200, body: identityJson };

    const reading = await reader().read(domain);

    expect(reading).toEqual(readingOf(productionAccount(), verifiedIdentity(), 'eu-west-1'));
    expect(asked).toEqual(
      expect.arrayContaining(['GET /v2/email/account', `GET /v2/email/identities/${domain}`]),
    );
  });

  it('reads an identity SES does not have as none, not as a failure', async () => {
    wire['/v2/email/account'] = { status: 200, body: accountJson };

    const reading = await reader().read('unknown-shop.com');

    expect(reading).toMatchObject({ kind: 'read', identity: null });
  });

  it('says access was denied when SES refuses the credentials', async () => {
    wire['/v2/email/account'] = {
      status: 403,
      body: { message: 'User is not authorized to perform: ses:GetAccount' },
      errorType: 'AccessDeniedException',
    };

    expect(await reader().read(domain)).toEqual({
      kind: 'unreadable',
      reason: 'access-denied',
      detail: 'User is not authorized to perform: ses:GetAccount',
    });
  });

  it('says SES is unreachable when nothing answers, without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = portOf(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    expect(await reader(`http://127.0.0.1:${port}`).read(domain)).toMatchObject({
      kind: 'unreadable',
      reason: 'unreachable',
    });
  });
});

describe('why SES could not be read', () => {
  const named = (name: string, message: string, code?: string) =>
    Object.assign(new Error(message), { name, ...(code === undefined ? {} : { code }) });

  it.each([
    [named('CredentialsProviderError', 'Could not load credentials from any providers'), 'no-credentials'],
    [
      named('ExpiredTokenException', 'The security token included in the request is expired'),
      'no-credentials',
    ],
    [named('Error', 'Region is missing'), 'no-region'],
    [named('Error', 'getaddrinfo ENOTFOUND email.eu-west-1.amazonaws.com', 'ENOTFOUND'), 'unreachable'],
    [
      named('TimeoutError', 'Socket timed out without establishing a connection within 1000 ms'),
      'unreachable',
    ],
    [named('Error', 'something else'), 'failed'],
  ])('reads %s as %s', (error, reason) => {
    expect(unreadableReason(error)).toBe(reason);
  });
});
