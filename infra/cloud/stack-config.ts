import { z } from 'zod';
import {
  DisposableEmailDomainsSetting,
  RefuseDisposableEmailSetting,
} from '../../lib/config/disposable-email-setting.js';
import { RateLimitSetting, rateLimitProblem } from '../../lib/config/rate-limit-setting.js';
import { TopicsSetting } from '../../lib/config/topics-setting.js';
import { EngagementCountsOpens, SunsetAfter } from '../../lib/domain/engagement.js';
import { CurrencyCode, currencyProblem } from '../../lib/domain/money.js';
import {
  defaultReputationThresholds,
  RateThresholds,
  ReputationThresholds,
} from '../../lib/domain/reputation.js';
import {
  DmarcPolicy,
  defaultMailFromSubdomain,
  MailFromSubdomain,
} from '../../lib/domain/sender-dns-records.js';
import { isTimeZone, timeZoneProblem } from '../../lib/domain/time-zone.js';

/** The context keys the stack reads (cdk.json `context`, or `cdk synth -c key=value`). */
export const contextKeys = {
  senderEmail: 'rapport:senderEmail',
  allowedOrigins: 'rapport:allowedOrigins',
  postalAddress: 'rapport:postalAddress',
  publicBaseUrl: 'rapport:publicBaseUrl',
  sesIdentity: 'rapport:sesIdentity',
  alarmEmail: 'rapport:alarmEmail',
  throttleRateLimit: 'rapport:throttleRateLimit',
  throttleBurstLimit: 'rapport:throttleBurstLimit',
  smsSenderId: 'rapport:smsSenderId',
  smsOriginationNumber: 'rapport:smsOriginationNumber',
  eventBusName: 'rapport:eventBusName',
  fanOutEventsPerMinute: 'rapport:fanOutEventsPerMinute',
  campaignSendRate: 'rapport:campaignSendRate',
  sesMaxSendRate: 'rapport:sesMaxSendRate',
  clvHorizonYears: 'rapport:clvHorizonYears',
  clvDiscountRate: 'rapport:clvDiscountRate',
  valueModelMinRepeatCustomers: 'rapport:valueModelMinRepeatCustomers',
  smsMaxSendRate: 'rapport:smsMaxSendRate',
  signupLimitPerIp: 'rapport:signupLimitPerIp',
  signupLimitPerForm: 'rapport:signupLimitPerForm',
  refuseDisposableEmail: 'rapport:refuseDisposableEmail',
  disposableEmailDomains: 'rapport:disposableEmailDomains',
  waf: 'rapport:waf',
  defaultTimeZone: 'rapport:defaultTimeZone',
  defaultCurrency: 'rapport:defaultCurrency',
  topics: 'rapport:topics',
  consoleDomain: 'rapport:consoleDomain',
  consoleCertificateArn: 'rapport:consoleCertificateArn',
  adminEmails: 'rapport:adminEmails',
  sunsetAfter: 'rapport:sunsetAfter',
  engagementCountsOpens: 'rapport:engagementCountsOpens',
  mailFromSubdomain: 'rapport:mailFromSubdomain',
  dmarcReportEmail: 'rapport:dmarcReportEmail',
  dmarcPolicy: 'rapport:dmarcPolicy',
  hostedZoneId: 'rapport:hostedZoneId',
  hostedZoneName: 'rapport:hostedZoneName',
  bounceRateWarning: 'rapport:bounceRateWarning',
  bounceRateCritical: 'rapport:bounceRateCritical',
  complaintRateWarning: 'rapport:complaintRateWarning',
  complaintRateCritical: 'rapport:complaintRateCritical',
  reputationMinSends: 'rapport:reputationMinSends',
  reputationWindowDays: 'rapport:reputationWindowDays',
} as const;
type ConfigField = keyof typeof contextKeys;

const emailAddress = z.email();

/** Accepts `hello@example.com` or `Name <hello@example.com>`, the forms SES accepts as a From address. */
const SenderEmail = z.string().transform((value, ctx) => {
  const match = /^\s*(?:[^<>]*<([^<>]+)>|([^<>\s]+))\s*$/.exec(value);
  const address = match?.[1] ?? match?.[2] ?? '';
  if (!emailAddress.safeParse(address).success) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an address such as Name <hello@example.com>`,
    });
    return z.NEVER;
  }
  return { header: value.trim(), address: address.toLowerCase() };
});

const HttpsOrigin = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin such as https://www.example.com` });
    return z.NEVER;
  }
  if (url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an https origin` });
    return z.NEVER;
  }
  return url.origin;
});

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

/** cdk.json keeps optional values as "", and `-c key=value` passes numbers as strings. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const limit = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);

/** A custom bus's name as EventBridge accepts it; `default` is the account's own bus and cannot be created. */
const EventBusName = z
  .string()
  .regex(/^[.\-_A-Za-z0-9]{1,256}$/, 'must be 1-256 letters, digits, dots, hyphens and underscores')
  .refine((name) => name !== 'default', 'names the account’s default bus; choose a name for Rapport’s own');

/**
 * The topics with their labels, checked by the parser the functions use. cdk.json may
 * hold them as an object; the functions get text (JSON then), which that parser reads.
 */
const TopicsText = z
  .union([z.string(), z.record(z.string(), z.unknown())], {
    error: 'must be topics such as newsletter=Our newsletter,offers=Offers, or an object of labels by topic',
  })
  .optional()
  .transform((value) =>
    typeof value === 'object' ? JSON.stringify(value) : value?.trim() === '' ? undefined : value?.trim(),
  )
  .superRefine((text, ctx) => {
    const topics = text === undefined ? undefined : TopicsSetting.safeParse(text);
    for (const issue of topics?.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
  });

/** CloudFront takes certificates from us-east-1 only, whatever region the stack is in. */
const CloudFrontCertificateArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
    'must be the ARN of an ACM certificate in us-east-1 (CloudFront takes none from another region)',
  );

/** Lower-cased and without repeats, so each address is one user whatever its spelling in the list. */
const AdminEmails = commaList.pipe(
  z
    .array(z.email({ error: (issue) => `"${String(issue.input)}" is not an email address` }))
    .transform((emails) => [...new Set(emails.map((email) => email.toLowerCase()))]),
);

const SesIdentity = z.union([z.email(), z.hostname().regex(/\./, 'a domain such as example.com')]);

/**
 * A number from context (cdk.json keeps numbers, `-c` passes text); unset, the fallback.
 * Refinements rather than type checks, so the message says what is wrong, not "is required".
 */
const numberOr = (fallback: number, expected: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (Number.isNaN(number)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" must be ${expected}` });
      return z.NEVER;
    }
    return number;
  });

const wholeNumberOr = (fallback: number, unit: string, max: number) =>
  numberOr(fallback, `a whole number of ${unit}`).pipe(
    z
      .number()
      .refine(Number.isInteger, `must be a whole number of ${unit}`)
      .refine((value) => value >= 1 && value <= max, `must be from 1 to ${max} ${unit}`),
  );

/** A rate as a fraction of the mail sent, as SES's reputation metrics give it: 0.02 is 2 %. */
const rate = (fallback: number) =>
  numberOr(fallback, 'a fraction such as 0.02 for 2 %').pipe(
    z
      .number()
      .positive('must be above 0: a fraction such as 0.02 for 2 %')
      .max(1, 'must be a fraction of at most 1: 0.02 for 2 %, not 2'),
  );

/** A public hosted zone's id as Route 53 shows it, without the `/hostedzone/` prefix. */
const HostedZoneId = z
  .string()
  .regex(/^[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ');

export const StackConfig = z
  .object({
    senderEmail: SenderEmail,
    allowedOrigins: commaList.pipe(z.array(HttpsOrigin).min(1, 'at least one https origin')),
    postalAddress: z.string().trim().min(5, 'a postal address is required in every marketing email'),
    publicBaseUrl: optionalText.pipe(
      z
        .url({ protocol: /^https$/ })
        .transform((value) => value.replace(/\/+$/, ''))
        .optional(),
    ),
    sesIdentity: optionalText.pipe(SesIdentity.optional()),
    alarmEmail: optionalText.pipe(z.email().optional()),
    throttleRateLimit: limit(50),
    throttleBurstLimit: limit(100),
    /** The same rules as SNS (and lib/config/runtime-env.ts), so a bad value stops synth, not the first SMS. */
    smsSenderId: optionalText.pipe(
      z
        .string()
        .regex(
          /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/,
          'must be 1-11 letters and digits with at least one letter',
        )
        .optional(),
    ),
    smsOriginationNumber: optionalText.pipe(
      z
        .string()
        .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +12065550100')
        .optional(),
    ),
    eventBusName: optionalText.pipe(EventBusName.default('rapport')),
    /** Unset leaves the functions' own default (lib/config/runtime-env.ts), so the number lives in one place. */
    fanOutEventsPerMinute: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().int().min(1).max(100_000).optional()),
    /** A campaign's messages a second when it names none; unset, the functions' own (14). */
    campaignSendRate: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().positive().max(10_000).optional()),
    /** The SES account's maximum send rate (emails a second); unset, the functions' own (14, a new account's). */
    sesMaxSendRate: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().positive().max(10_000).optional()),
    /** How many years ahead predicted CLV looks; unset, the functions' own (3). */
    clvHorizonYears: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().int().min(1).max(50).optional()),
    /** The fitted CLV's yearly discount rate (0.1 for 10 %); unset, the functions' own (0.1). */
    clvDiscountRate: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().min(0).max(1).optional()),
    /** Repeat customers the fitted value models need before they replace the heuristic; unset, the functions' own (200). */
    valueModelMinRepeatCustomers: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().int().min(1).max(10_000_000).optional()),
    /** Texts a second the origination number takes; unset, the functions' own (1, the lowest a number has). */
    smsMaxSendRate: optionalText
      .transform((value) => (value === undefined ? undefined : Number(value)))
      .pipe(z.number().positive().max(10_000).optional()),
    /** Checked by the functions' own rule and passed on as written; unset, theirs (10/PT10M and 300/PT1M). */
    signupLimitPerIp: optionalText.refine(
      (value) => value === undefined || RateLimitSetting.safeParse(value).success,
      { error: (issue) => `"${String(issue.input)}" ${rateLimitProblem}` },
    ),
    signupLimitPerForm: optionalText.refine(
      (value) => value === undefined || RateLimitSetting.safeParse(value).success,
      { error: (issue) => `"${String(issue.input)}" ${rateLimitProblem}` },
    ),
    /** Checked by the functions' own rules; unset, theirs (no refusal, no extra domains). */
    refuseDisposableEmail: RefuseDisposableEmailSetting.optional().transform((value) => value === true),
    disposableEmailDomains: optionalText.superRefine((value, ctx) => {
      const domains = value === undefined ? undefined : DisposableEmailDomainsSetting.safeParse(value);
      for (const issue of domains?.error?.issues ?? [])
        ctx.addIssue({ code: 'custom', message: issue.message });
    }),
    /** A WAF web ACL on the public API (common rules, signups per IP); off unless `true`: it costs $5 a month and up. */
    waf: z
      .union([z.boolean(), z.string()], { error: 'must be true or false' })
      .optional()
      .transform((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
      .pipe(
        z.union([z.boolean(), z.enum(['true', 'false', ''])], { error: 'must be true or false' }).optional(),
      )
      .transform((value) => value === true || value === 'true'),
    /** Checked by the functions' own rule, so a zone synth takes is one they take; unset, theirs (UTC). */
    defaultTimeZone: optionalText.refine((zone) => zone === undefined || isTimeZone(zone), {
      error: (issue) => `"${String(issue.input)}" ${timeZoneProblem}`,
    }),
    /** Checked by the functions' own rule, upper-cased as they read it; unset, theirs (EUR). */
    defaultCurrency: optionalText
      .transform((code) => code?.toUpperCase())
      .refine((code) => code === undefined || CurrencyCode.safeParse(code).success, {
        error: (issue) => `"${String(issue.input)}" ${currencyProblem}`,
      }),
    /** Unset leaves the functions' own topics (lib/config/topics-setting.ts). */
    topics: TopicsText,
    /** The console's own host name (console.example.com); unset, the CloudFront domain. */
    consoleDomain: optionalText.pipe(
      z.hostname().regex(/\./, 'must be a host name such as console.example.com').optional(),
    ),
    consoleCertificateArn: optionalText.pipe(CloudFrontCertificateArn.optional()),
    /** The console users the stack creates and invites, in the admin group. */
    adminEmails: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => (Array.isArray(value) ? value.join(',') : (value ?? '')))
      .pipe(AdminEmails),
    /** Checked by the functions' own rule and passed on as written; unset, theirs (P365D). */
    sunsetAfter: optionalText.superRefine((value, ctx) => {
      if (value === undefined) return;
      for (const issue of SunsetAfter.safeParse(value).error?.issues ?? [])
        ctx.addIssue({ code: 'custom', message: issue.message });
    }),
    /** Unset, the functions' own (true): opens count as engagement. */
    engagementCountsOpens: z
      .union([z.boolean(), z.string()], { error: 'must be true or false' })
      .optional()
      .transform((value) => (value === undefined || value === '' ? undefined : value))
      .pipe(EngagementCountsOpens.optional()),
    /** The custom MAIL FROM domain is this label under the identity's domain, so SPF aligns with the From domain. */
    mailFromSubdomain: optionalText.pipe(MailFromSubdomain.default(defaultMailFromSubdomain)),
    /** Where aggregate DMARC reports go; unset, dmarc-reports@<domain>. */
    dmarcReportEmail: optionalText.pipe(z.email({ error: 'must be an email address' }).optional()),
    /** The DMARC policy the stack suggests (and writes, with a hosted zone): start at none, tighten step by step. */
    dmarcPolicy: optionalText.pipe(
      z
        .enum(DmarcPolicy.options, {
          error: (issue) => `"${String(issue.input)}" must be none, quarantine or reject`,
        })
        .default('none'),
    ),
    /** With it, the stack writes the domain's DNS records into this Route 53 zone itself. */
    hostedZoneId: optionalText.pipe(HostedZoneId.optional()),
    /** The zone's domain; unset, the identity's domain. */
    hostedZoneName: optionalText.pipe(
      z
        .hostname()
        .regex(/\./, 'must be a domain such as example.com')
        .transform((name) => name.toLowerCase().replace(/\.$/, ''))
        .optional(),
    ),
    bounceRateWarning: rate(defaultReputationThresholds.bounceRate.warning),
    bounceRateCritical: rate(defaultReputationThresholds.bounceRate.critical),
    complaintRateWarning: rate(defaultReputationThresholds.complaintRate.warning),
    complaintRateCritical: rate(defaultReputationThresholds.complaintRate.critical),
    /** Rapport's own rates act only over at least this many sends. */
    reputationMinSends: wholeNumberOr(defaultReputationThresholds.minSends, 'sends', 10_000_000),
    /** How many UTC days Rapport's own rates look back over, today included. */
    reputationWindowDays: wholeNumberOr(defaultReputationThresholds.windowDays, 'days', 30),
  })
  .superRefine((config, ctx) => {
    if ((config.consoleDomain === undefined) !== (config.consoleCertificateArn === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.consoleDomain === undefined ? 'consoleDomain' : 'consoleCertificateArn'],
        message: `${contextKeys.consoleDomain} and ${contextKeys.consoleCertificateArn} go together: CloudFront serves a domain of its own only with a certificate covering it`,
      });
    }
  })
  .superRefine((config, ctx) => {
    const identity = config.sesIdentity?.toLowerCase();
    if (identity === undefined) return;
    const address = config.senderEmail.address;
    if (address !== identity && !address.endsWith(`@${identity}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['senderEmail'],
        message: `${address} is not sent from the SES identity "${identity}" (${contextKeys.sesIdentity})`,
      });
    }
  })
  .superRefine((config, ctx) => {
    const pairs = [
      ['bounceRateWarning', 'bounceRateCritical'],
      ['complaintRateWarning', 'complaintRateCritical'],
    ] as const;
    for (const [warning, critical] of pairs) {
      const checked = RateThresholds.safeParse({ warning: config[warning], critical: config[critical] });
      if (checked.success) continue;
      ctx.addIssue({
        code: 'custom',
        path: [warning],
        message: `${config[warning]} is above ${contextKeys[critical]} (${config[critical]}): the warning must come first`,
      });
    }
  })
  .superRefine((config, ctx) => {
    if (config.hostedZoneId === undefined) {
      if (config.hostedZoneName !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['hostedZoneName'],
          message: `names a zone without ${contextKeys.hostedZoneId}: set both, or neither`,
        });
      return;
    }
    const domain = config.sesIdentity?.toLowerCase();
    if (domain === undefined || domain.includes('@')) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostedZoneId'],
        message: `needs ${contextKeys.sesIdentity} to be a domain such as example.com, whose records the stack then writes into the zone`,
      });
      return;
    }
    const zone = config.hostedZoneName ?? domain;
    if (domain !== zone && !domain.endsWith(`.${zone}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostedZoneName'],
        message: `the zone "${zone}" does not hold the domain "${domain}" (${contextKeys.sesIdentity})`,
      });
    }
  })
  .transform((config) => ({
    ...config,
    /** The zone the stack writes the sending domain's records into; checked above to hold the domain. */
    hostedZone:
      config.hostedZoneId === undefined
        ? undefined
        : {
            id: config.hostedZoneId,
            name: config.hostedZoneName ?? (config.sesIdentity ?? '').toLowerCase(),
          },
    /** The same thresholds for the CloudWatch alarms and for Rapport's own rates. */
    reputation: ReputationThresholds.parse({
      bounceRate: { warning: config.bounceRateWarning, critical: config.bounceRateCritical },
      complaintRate: { warning: config.complaintRateWarning, critical: config.complaintRateCritical },
      minSends: config.reputationMinSends,
      windowDays: config.reputationWindowDays,
    }),
  }));
export type StackConfig = z.infer<typeof StackConfig>;

export class InvalidStackConfigError extends Error {
  override readonly name = 'InvalidStackConfigError';
}

const isConfigField = (key: unknown): key is ConfigField => typeof key === 'string' && key in contextKeys;

/**
 * Reads the stack's settings from CDK context. A bad value stops synth with the
 * context key to fix, rather than deploying a stack whose handlers fail at runtime.
 */
export const readStackConfig = (tryGetContext: (key: string) => unknown): StackConfig => {
  const raw = Object.fromEntries(
    Object.entries(contextKeys).map(([field, key]) => {
      const value = tryGetContext(key);
      return [field, typeof value === 'number' ? String(value) : value];
    }),
  );
  const result = StackConfig.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path[0];
    const key = isConfigField(field) ? contextKeys[field] : '(context)';
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `${key}: ${message}`;
  });
  throw new InvalidStackConfigError(`invalid CDK context: ${problems.join('; ')}`);
};
