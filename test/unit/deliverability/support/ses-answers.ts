import type { GetAccountCommandOutput, GetEmailIdentityCommandOutput } from '@aws-sdk/client-sesv2';
import { SesAccount, SesEmailIdentity, type SesReading } from '../../../../lib/domain/ses-account.js';

/** A sender's domain and its SES answers, as SES v2 gives them through the SDK. */
export const domain = 'northwind-books.com';
export const region = 'eu-west-1';
export const mailFromDomain = `bounce.${domain}`;

/** Easy DKIM tokens look like this: 32 lower-case letters and digits. */
export const dkimTokens = [
  'ihdrkp3i5lqwgkq7iwrqe4ksqi2g4vug',
  'b6qsdhq3ngcw3a7hhzwvtw6ahqvynv3q',
  'p2iztq6dnm4yfgv3ij6wa7fqbdfmnpfo',
] as const;

const metadata = {
  httpStatusCode: 200,
  requestId: '5d1e3a0c-8c55-4a4f-9d3e-2f1c0b7a9e61',
  attempts: 1,
  totalRetryDelay: 0,
};

export const productionAccount = (): GetAccountCommandOutput => ({
  $metadata: metadata,
  DedicatedIpAutoWarmupEnabled: false,
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 1_234 },
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
});

/** A new account: the sandbox's quota, and no request for production access yet. */
export const sandboxAccount = (): GetAccountCommandOutput => ({
  $metadata: metadata,
  DedicatedIpAutoWarmupEnabled: false,
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: false,
  SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
  SendingEnabled: true,
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
});

export const verifiedIdentity = (): GetEmailIdentityCommandOutput => ({
  $metadata: metadata,
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
    LastKeyGenerationTimestamp: new Date('2026-09-01T08:00:00Z'),
  },
  MailFromAttributes: {
    MailFromDomain: mailFromDomain,
    MailFromDomainStatus: 'SUCCESS',
    BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
  },
  Policies: {},
  Tags: [],
  ConfigurationSetName: 'rapport-feedback',
});

type Dkim = NonNullable<GetEmailIdentityCommandOutput['DkimAttributes']>;
type MailFrom = NonNullable<GetEmailIdentityCommandOutput['MailFromAttributes']>;

export const identityWith = (changes: {
  dkim?: Partial<Dkim>;
  mailFrom?: MailFrom;
  verified?: boolean;
}): GetEmailIdentityCommandOutput => {
  const identity = verifiedIdentity();
  return {
    ...identity,
    ...(changes.verified === undefined ? {} : { VerifiedForSendingStatus: changes.verified }),
    DkimAttributes: { ...identity.DkimAttributes, ...changes.dkim },
    ...(changes.mailFrom === undefined ? {} : { MailFromAttributes: changes.mailFrom }),
  };
};

/** What SES answers for an identity without a custom MAIL FROM domain: only the MX-failure behaviour. */
export const noCustomMailFrom = (): MailFrom => ({
  MailFromDomain: undefined,
  MailFromDomainStatus: undefined,
  BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
});

/** The reading the SES adapter makes of these answers (test/unit/deliverability/ses-account-reader.test.ts shows it does). */
export const readingOf = (
  account: GetAccountCommandOutput,
  identity: GetEmailIdentityCommandOutput | null,
  inRegion: string = region,
): SesReading => ({
  kind: 'read',
  region: inRegion,
  account: SesAccount.parse(account),
  identity: identity === null ? null : SesEmailIdentity.parse(identity),
});
