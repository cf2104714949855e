import { z } from 'zod';

/**
 * What SES v2's `GetAccount` answers, the fields the deliverability check reads, named
 * as SES names them so an answer parses as it comes. Every field is optional, as in
 * the API: a missing one is reported as unknown, not guessed.
 */
export const SesAccount = z.object({
  ProductionAccessEnabled: z.boolean().optional(),
  SendingEnabled: z.boolean().optional(),
  /** HEALTHY, PROBATION or SHUTDOWN. */
  EnforcementStatus: z.string().optional(),
  SendQuota: z
    .object({
      /** -1 for no daily limit. */
      Max24HourSend: z.number().optional(),
      MaxSendRate: z.number().optional(),
      SentLast24Hours: z.number().optional(),
    })
    .optional(),
  Details: z
    .object({
      MailType: z.string().optional(),
      WebsiteURL: z.string().optional(),
      /** The latest request for production access: PENDING, GRANTED, DENIED or FAILED. */
      ReviewDetails: z.object({ Status: z.string().optional(), CaseId: z.string().optional() }).optional(),
    })
    .optional(),
});
export type SesAccount = z.infer<typeof SesAccount>;

/** What SES v2's `GetEmailIdentity` answers for a domain, the fields the check reads. */
export const SesEmailIdentity = z.object({
  IdentityType: z.string().optional(),
  VerifiedForSendingStatus: z.boolean().optional(),
  DkimAttributes: z
    .object({
      SigningEnabled: z.boolean().optional(),
      /** PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE or NOT_STARTED. */
      Status: z.string().optional(),
      /** Easy DKIM: the three tokens of the CNAMEs; your own keys (EXTERNAL): the selector. */
      Tokens: z.array(z.string()).optional(),
      /** The zone Easy DKIM's CNAMEs point into: dkim.amazonses.com in most regions. */
      SigningHostedZone: z.string().optional(),
      /** AWS_SES for Easy DKIM, EXTERNAL for your own keys, AWS_SES_<REGION> when replicated. */
      SigningAttributesOrigin: z.string().optional(),
      CurrentSigningKeyLength: z.string().optional(),
      NextSigningKeyLength: z.string().optional(),
    })
    .optional(),
  MailFromAttributes: z
    .object({
      MailFromDomain: z.string().optional(),
      /** PENDING, SUCCESS, FAILED or TEMPORARY_FAILURE. */
      MailFromDomainStatus: z.string().optional(),
      BehaviorOnMxFailure: z.string().optional(),
    })
    .optional(),
});
export type SesEmailIdentity = z.infer<typeof SesEmailIdentity>;

/** Why SES could not be read: each has its own advice. */
export const SesUnreadableReason = z.enum([
  'no-credentials',
  'no-region',
  'unreachable',
  'access-denied',
  'failed',
]);
export type SesUnreadableReason = z.infer<typeof SesUnreadableReason>;

/** The account and the domain's identity as SES holds them in one region, or why they could not be read. */
export const SesReading = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('read'),
    region: z.string().min(1),
    account: SesAccount,
    /** Null when SES has no identity of that name in the region. */
    identity: SesEmailIdentity.nullable(),
  }),
  z.object({
    kind: z.literal('unreadable'),
    reason: SesUnreadableReason,
    /** What the SDK said, for the operator. */
    detail: z.string(),
  }),
]);
export type SesReading = z.infer<typeof SesReading>;
