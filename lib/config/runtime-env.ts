import { z } from 'zod';
import { defaultCampaignSendRate, defaultSmsSendRate, newSesAccountSendRate } from '../domain/campaign.js';
import { defaultClvModel } from '../domain/customer-value.js';
import { defaultSunsetAfter, EngagementCountsOpens, SunsetAfter } from '../domain/engagement.js';
import { CurrencyCode, fallbackCurrency } from '../domain/money.js';
import { defaultReputationThresholds, type ReputationThresholds } from '../domain/reputation.js';
import { TimeZone } from '../domain/time-zone.js';
import { MIN_REPEAT_CUSTOMERS } from '../domain/value-model.js';
import { DeadLetterQueuesSetting, FunctionNamesSetting } from './dead-letter-settings.js';
import { DisposableEmailDomainsSetting, RefuseDisposableEmailSetting } from './disposable-email-setting.js';
import { RateLimitSetting, signupRateLimitDefaults } from './rate-limit-setting.js';
import { defaultTopics, TopicsSetting } from './topics-setting.js';

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

const origin = z.string().transform((value, ctx) => {
  try {
    return new URL(value).origin;
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin such as https://www.example.com` });
    return z.NEVER;
  }
});

/**
 * Token signing keys as one flat JSON object, e.g. `{"current":"k2","k1":"…","k2":"…"}`:
 * `current` names the key that signs; every key listed verifies, so a rotation adds
 * the new key, makes it current, and drops the old one after the links' lifetime.
 * Flat, because that is the shape Secrets Manager can generate.
 */
export const TokenKeys = z.record(z.string(), z.string()).transform((raw, ctx) => {
  const { current, ...secrets } = raw;
  const entries = Object.entries(secrets);
  if (current === undefined || secrets[current] === undefined) {
    ctx.addIssue({ code: 'custom', message: '"current" must name one of the keys' });
    return z.NEVER;
  }
  if (entries.length > 2) {
    ctx.addIssue({ code: 'custom', message: 'at most two keys: the current one and the one being retired' });
    return z.NEVER;
  }
  for (const [id, secret] of entries) {
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(id))
      ctx.addIssue({ code: 'custom', message: `key id "${id}" is not [A-Za-z0-9_-]{1,16}` });
    if (secret.length < 32)
      ctx.addIssue({ code: 'custom', message: `key "${id}" is shorter than 32 characters` });
  }
  return { current, secrets: new Map(entries) };
});
export type TokenKeys = z.infer<typeof TokenKeys>;

/**
 * The environment every handler reads, in both runtimes. Endpoints are absent in
 * the cloud (the SDK finds AWS) and point at the local emulators under `npm start`.
 */
/** A rate as a fraction of the mail sent, above 0 and at most 1. */
const rate = z.coerce
  .number()
  .gt(0, 'must be a fraction above 0 (0.05 is 5 %)')
  .max(1, 'must be a fraction, at most 1 (0.05 is 5 %)');

export const RuntimeEnv = z
  .object({
    TABLE_NAME: z.string().min(1),
    AWS_REGION: z.string().min(1),
    /**
     * The keys the AWS clients sign with, given to them explicitly: in Lambda the execution
     * role's (the SDK would read the same variables), locally the emulators'. An environment
     * that is not process.env (the local runtime's) therefore signs with its own.
     */
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().min(1).optional(),
    DYNAMODB_ENDPOINT: z.url().optional(),
    SES_ENDPOINT: z.url().optional(),
    /** The local SNS endpoint (infra/local/sns-local.ts); absent in the cloud. */
    SNS_ENDPOINT: z.url().optional(),
    /** SMS sender ID shown where the destination country allows one: 1-11 letters and digits, one letter at least. */
    SMS_SENDER_ID: z
      .string()
      .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, 'must be 1-11 letters and digits with at least one letter')
      .optional(),
    /** A number the account owns (E.164), needed where sender IDs are not allowed (the US, Canada). */
    SMS_ORIGINATION_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number such as +12065550100')
      .optional(),
    /** Marketing SMS are routed for cost, transactional ones for reliability (SNS's SMSType). */
    SMS_TYPE_MARKETING: z.enum(['Promotional', 'Transactional']).default('Promotional'),
    SMS_TYPE_TRANSACTIONAL: z.enum(['Promotional', 'Transactional']).default('Transactional'),
    /**
     * The bus publish-events puts journey events on: a name or an ARN (EventBridge's
     * rules). `default` is the account's default bus; the cloud stack sets its own.
     */
    EVENT_BUS_NAME: z
      .string()
      .regex(
        /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[/.\-_A-Za-z0-9]{1,256}$/,
        'must be an event bus name (letters, digits, . - _ /) or its ARN',
      )
      .default('default'),
    /** The local EventBridge endpoint (infra/local/eventbridge-local.ts); absent in the cloud. */
    EVENTBRIDGE_ENDPOINT: z.url().optional(),
    SECRETS_ENDPOINT: z.url().optional(),
    PUBLIC_BASE_URL: z.url().transform((value) => value.replace(/\/+$/, '')),
    SENDER_EMAIL: z.string().min(3),
    POSTAL_ADDRESS: z.string().min(5),
    ALLOWED_ORIGINS: commaList.pipe(z.array(origin)),
    /** Locally: the keys as JSON. In the cloud: TOKEN_KEYS_SECRET_ARN names a Secrets Manager secret holding that JSON. */
    TOKEN_KEYS: z.string().optional(),
    TOKEN_KEYS_SECRET_ARN: z.string().optional(),
    TOKEN_TTL_DAYS: z.coerce.number().int().min(60).max(3_650).default(90),
    CONSENT_WORDING_VERSION: z.string().min(1).default('signup-v1'),
    /** The topics contacts pick, with their labels: `newsletter=Our newsletter,offers=Offers` (see topics-setting.ts). */
    TOPICS: TopicsSetting.default([...defaultTopics]),
    SES_CONFIGURATION_SET: z.string().optional(),
    /** For contacts whose time zone is unknown: quiet hours and times of day are read in it. */
    DEFAULT_TIME_ZONE: TimeZone.default('UTC'),
    /**
     * For orders that name no currency; also the currency journey reports and the orders report
     * total in (amounts in other currencies counted amount for amount, without an exchange rate).
     */
    DEFAULT_CURRENCY: z
      .string()
      .transform((code) => code.toUpperCase())
      .pipe(CurrencyCode)
      .default(fallbackCurrency),
    /** Where journeys/ and templates/ are read from when content is seeded; defaults to beside the handler. */
    CONTENT_ROOT: z.string().optional(),
    POWERTOOLS_SERVICE_NAME: z.string().default('rapport'),
    /**
     * Write shards per timer-wheel minute bucket. Raising it is safe; lowering it has no effect on
     * reading, because the tick reads up to the highest count ever stored with its cursor.
     */
    TIMER_SHARDS: z.coerce.number().int().min(1).max(256).default(8),
    /**
     * The most `product_published` events a product launch's fan-out writes per run of the
     * journey-jobs schedule (every minute in the cloud), so a launch to many buyers reaches
     * journeys and the mail provider at a steady pace instead of all at once.
     */
    FANOUT_EVENTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /**
     * A campaign's messages a second when it names no `sendRate`: 14 is a new SES account's
     * sending rate. Slot i of a launch goes out i / rate seconds after its start.
     */
    CAMPAIGN_SEND_RATE: z.coerce.number().positive().max(10_000).default(defaultCampaignSendRate),
    /**
     * Emails a second the SES account accepts (its maximum send rate): every deliver
     * invocation together stays under it. Raise it with the account's quota.
     */
    SES_MAX_SEND_RATE: z.coerce.number().positive().max(10_000).default(newSesAccountSendRate),
    /**
     * Texts a second the origination number takes (its message parts per second, divided
     * by the parts of a typical text): every deliver invocation together stays under it.
     */
    SMS_MAX_SEND_RATE: z.coerce.number().positive().max(10_000).default(defaultSmsSendRate),
    /** How many years ahead predicted CLV looks (both the fitted models and the heuristic). */
    CLV_HORIZON_YEARS: z.coerce.number().int().min(1).max(50).default(defaultClvModel.horizonYears),
    /** The fitted CLV's yearly discount rate of money: 0.1 is 10 %. */
    CLV_ANNUAL_DISCOUNT_RATE: z.coerce.number().min(0).max(1).default(defaultClvModel.annualDiscountRate),
    /** Repeat customers BG/NBD and Gamma-Gamma need before they replace the heuristic (docs/customer-value.md). */
    VALUE_MODEL_MIN_REPEAT_CUSTOMERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(MIN_REPEAT_CUSTOMERS),
    /** How long ingestion remembers a messageId; a resend within it is stored once. */
    DEDUPE_MESSAGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** How long ingestion remembers an order id across customers (each order's own item never expires). */
    DEDUPE_ORDER_DAYS: z.coerce.number().int().min(1).max(3_650).default(400),
    /** The bounce and complaint rates (fractions: 0.05 is 5 %) past which Rapport warns, and pauses marketing email. */
    BOUNCE_RATE_WARNING: rate.default(defaultReputationThresholds.bounceRate.warning),
    BOUNCE_RATE_CRITICAL: rate.default(defaultReputationThresholds.bounceRate.critical),
    COMPLAINT_RATE_WARNING: rate.default(defaultReputationThresholds.complaintRate.warning),
    COMPLAINT_RATE_CRITICAL: rate.default(defaultReputationThresholds.complaintRate.critical),
    /** Sends Rapport's own rates need before they pause anything. */
    REPUTATION_MIN_SENDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(defaultReputationThresholds.minSends),
    /** UTC days, today included, Rapport's own rates are taken over. */
    REPUTATION_WINDOW_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30)
      .default(defaultReputationThresholds.windowDays),
    /** A purchase within this many days of a click on a message is credited to that message. */
    ATTRIBUTION_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** Marketing email skips a contact not engaged this long: an ISO 8601 duration of P30D or more, or `off`. */
    SUNSET_AFTER: SunsetAfter.prefault(defaultSunsetAfter),
    /** Whether an opened email is engagement; `false` counts only clicks, orders, signups and preference saves. */
    ENGAGEMENT_COUNTS_OPENS: EngagementCountsOpens.prefault('true'),
    /** Signups one IP address may post to `/v1/signup` per window (`<count>/<ISO window>`); over it, 429. */
    SIGNUP_LIMIT_PER_IP: RateLimitSetting.prefault(signupRateLimitDefaults.perIp),
    /** Signups one form (its `form` field, or none) may take per window, from all addresses together. */
    SIGNUP_LIMIT_PER_FORM: RateLimitSetting.prefault(signupRateLimitDefaults.perForm),
    /** Refuse signups from throwaway mail (the shipped list and DISPOSABLE_EMAIL_DOMAINS); off unless `true`. */
    REFUSE_DISPOSABLE_EMAIL: RefuseDisposableEmailSetting.prefault('false'),
    /** Throwaway domains refused besides the shipped list, comma-separated; each covers its subdomains. */
    DISPOSABLE_EMAIL_DOMAINS: DisposableEmailDomainsSetting.prefault(''),
    /** The earliest timestamp an ingested call may carry; older history is refused, naming the field. */
    EVENT_TIMESTAMP_EARLIEST: z.iso
      .datetime({ offset: true })
      .default('2000-01-01T00:00:00Z')
      .transform((value) => new Date(value)),
    /** How far ahead of now an ingested call's timestamp may lie (clock drift at the sender). */
    EVENT_TIMESTAMP_AHEAD_HOURS: z.coerce.number().int().min(0).max(168).default(24),
    /**
     * The deployed name of each function a redrive may hand a record back to, by topology
     * name, as JSON (see dead-letter-settings.ts); the cloud stack sets it on the functions
     * that redrive and take in dead letters. Absent locally: the runtime invokes its own.
     */
    FUNCTION_NAMES: FunctionNamesSetting.default({}),
    /** The SQS dead-letter queues the intake empties into the dead letters, as JSON; none locally. */
    DEAD_LETTER_QUEUES: DeadLetterQueuesSetting.default([]),
  })
  .refine((env) => env.TOKEN_KEYS === undefined || env.TOKEN_KEYS_SECRET_ARN === undefined, {
    message: 'set TOKEN_KEYS or TOKEN_KEYS_SECRET_ARN, not both',
    path: ['TOKEN_KEYS'],
  })
  .refine((env) => env.BOUNCE_RATE_WARNING <= env.BOUNCE_RATE_CRITICAL, {
    message: 'must not be above BOUNCE_RATE_CRITICAL',
    path: ['BOUNCE_RATE_WARNING'],
  })
  .refine((env) => env.COMPLAINT_RATE_WARNING <= env.COMPLAINT_RATE_CRITICAL, {
    message: 'must not be above COMPLAINT_RATE_CRITICAL',
    path: ['COMPLAINT_RATE_WARNING'],
  });

/** The thresholds the environment sets, as the reputation guard and the reports take them. */
export const reputationThresholdsOf = (env: RuntimeEnv): ReputationThresholds => ({
  bounceRate: { warning: env.BOUNCE_RATE_WARNING, critical: env.BOUNCE_RATE_CRITICAL },
  complaintRate: { warning: env.COMPLAINT_RATE_WARNING, critical: env.COMPLAINT_RATE_CRITICAL },
  minSends: env.REPUTATION_MIN_SENDS,
  windowDays: env.REPUTATION_WINDOW_DAYS,
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

export const parseRuntimeEnv = (source: Record<string, string | undefined>): RuntimeEnv => {
  const result = RuntimeEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new InvalidEnvironmentError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
};
