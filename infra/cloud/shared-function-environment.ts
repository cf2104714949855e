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
  /** The zone for contacts without one; absent, the functions' default (UTC). */
  DEFAULT_TIME_ZONE: z.string().optional(),
  /** The currency of orders that name none, and of the reports; absent, the functions' default (EUR). */
  DEFAULT_CURRENCY: z.string().optional(),
  /** The topics with their labels, as the TOPICS setting; absent, the functions' default. */
  TOPICS: z.string().optional(),
});
export type SharedFunctionEnvironment = z.infer<typeof SharedFunctionEnvironment>;

/** The names of those variables: what a deployment can set on every function without a code change. */
export const sharedFunctionSettings: ReadonlySet<string> = new Set(SharedFunctionEnvironment.keyof().options);
