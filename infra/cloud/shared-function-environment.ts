import { z } from 'zod';

/**
 * The variables the stack config gives every function, from CDK context; see
 * lib/config/runtime-env.ts for their meaning. Free of the CDK, so the local runtime
 * can tell a deployment's setting from a variable no deployment declares; strict, so
 * the stack cannot give every function a setting this list lacks (synth stops).
 */
export const SharedFunctionEnvironment = z.strictObject({
  PUBLIC_BASE_URL: z.string(),
  SENDER_EMAIL: z.string(),
  POSTAL_ADDRESS: z.string(),
  ALLOWED_ORIGINS: z.string(),
  /** The cap on a product launch's events per journey-jobs run; absent, the functions' default. */
  FANOUT_EVENTS_PER_MINUTE: z.string().optional(),
  /** A campaign's messages a second when it names none; absent, the functions' default. */
  CAMPAIGN_SEND_RATE: z.string().optional(),
  /** The SES account's maximum send rate; absent, the functions' default (a new account's). */
  SES_MAX_SEND_RATE: z.string().optional(),
  /** Predicted CLV's horizon in years, its yearly discount rate, and the repeat customers the fitted models need; absent, the functions' defaults. */
  CLV_HORIZON_YEARS: z.string().optional(),
  CLV_ANNUAL_DISCOUNT_RATE: z.string().optional(),
  VALUE_MODEL_MIN_REPEAT_CUSTOMERS: z.string().optional(),
  /** Texts a second the origination number takes; absent, the functions' default. */
  SMS_MAX_SEND_RATE: z.string().optional(),
  /** Signups per IP address and window; absent, the functions' default. */
  SIGNUP_LIMIT_PER_IP: z.string().optional(),
  /** Signups per form and window; absent, the functions' default. */
  SIGNUP_LIMIT_PER_FORM: z.string().optional(),
  /** `true` refuses signups from throwaway mail; absent, the functions' default (off). */
  REFUSE_DISPOSABLE_EMAIL: z.string().optional(),
  /** Throwaway domains refused besides the shipped list; absent, none. */
  DISPOSABLE_EMAIL_DOMAINS: z.string().optional(),
  /** The zone for contacts without one; absent, the functions' default (UTC). */
  DEFAULT_TIME_ZONE: z.string().optional(),
  /** The currency of orders that name none, and of the reports; absent, the functions' default (EUR). */
  DEFAULT_CURRENCY: z.string().optional(),
  /** The topics with their labels, as the TOPICS setting; absent, the functions' default. */
  TOPICS: z.string().optional(),
  /** How long marketing email goes to a contact who does not engage, or `off`; absent, the functions' default (P365D). */
  SUNSET_AFTER: z.string().optional(),
  /** Whether opens are engagement; absent, the functions' default (true). */
  ENGAGEMENT_COUNTS_OPENS: z.string().optional(),
  /**
   * The bounce and complaint rates (fractions of the mail sent) past which Rapport
   * warns and pauses marketing email, over at least REPUTATION_MIN_SENDS sends in the
   * last REPUTATION_WINDOW_DAYS days. Always set: the stack's CloudWatch alarms use
   * the same numbers, so the functions and the alarms cannot disagree.
   */
  BOUNCE_RATE_WARNING: z.string(),
  BOUNCE_RATE_CRITICAL: z.string(),
  COMPLAINT_RATE_WARNING: z.string(),
  COMPLAINT_RATE_CRITICAL: z.string(),
  REPUTATION_MIN_SENDS: z.string(),
  REPUTATION_WINDOW_DAYS: z.string(),
});
export type SharedFunctionEnvironment = z.infer<typeof SharedFunctionEnvironment>;

/** The names of those variables: what a deployment can set on every function without a code change. */
export const sharedFunctionSettings: ReadonlySet<string> = new Set(SharedFunctionEnvironment.keyof().options);
