import { z } from 'zod';
import { withoutControlCharacters } from './control-characters.js';
import { listedDomainOf } from './disposable-domains.js';
import { ValidationError } from './errors.js';
import { roleMailboxOf } from './role-addresses.js';
import { TimeZone, timeZoneProblem } from './time-zone.js';

/** Names and campaign tags are mailed and shown back: one line of plain text. */
const optionalText = (max: number) =>
  withoutControlCharacters(z.string().trim().max(max, `must be at most ${max} characters`))
    .optional()
    .transform((value) => (value === '' ? undefined : value));

/** HTML checkboxes send "on" (or their value); JSON clients send true. Anything else is not consent. */
const affirmative = z.union(
  [
    z.literal(true),
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'on', 'yes'])),
  ],
  {
    error: 'must be affirmative (true, "on" or "yes")',
  },
);

export interface SignupFormRules {
  topics: readonly string[];
  /** Origins a `redirect` may point to. */
  redirectOrigins: readonly string[];
  /** Disposable-mail domains to refuse, each with its subdomains; absent, none is refused. */
  disposableDomains?: ReadonlySet<string>;
}

/**
 * Why an address cannot sign up by its form alone, or undefined. It reads the
 * address and the rules only, never whether the address is known, so the answer
 * tells nobody who is on the list.
 */
const addressProblem = (email: string, rules: SignupFormRules): string | undefined => {
  const role = roleMailboxOf(email);
  if (role !== undefined) return `is a role address (${role}); sign up with a personal address`;
  const disposable =
    rules.disposableDomains === undefined ? undefined : listedDomainOf(email, rules.disposableDomains);
  if (disposable !== undefined)
    return `uses a disposable-mail domain (${disposable}); sign up with an address you keep`;
  return undefined;
};

/** The signup form, from an HTML form post or JSON. `topics` may repeat or be an array. */
export const signupFormSchema = (rules: SignupFormRules) =>
  z
    .object({
      email: z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(254, 'must be at most 254 characters')
        .pipe(z.email({ error: 'must be an email address' }))
        .superRefine((email, ctx) => {
          const problem = addressProblem(email, rules);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
      name: optionalText(100),
      phone: z
        .string()
        .trim()
        .optional()
        .transform((value) => (value === '' ? undefined : value))
        .pipe(
          z
            .string()
            .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form, e.g. +14155550123')
            .optional(),
        ),
      topics: z
        .union([z.string(), z.array(z.string())], { error: 'must be a topic or a list of topics' })
        .optional()
        .transform((value) => [...new Set(value === undefined ? [] : [value].flat())])
        .pipe(
          z.array(
            z.enum(rules.topics, {
              error: (issue) => `unknown topic "${String(issue.input)}"; use ${rules.topics.join(', ')}`,
            }),
          ),
        ),
      consent: affirmative,
      /**
       * Consent to marketing SMS, separate from email and optional. `false` (an unticked
       * JSON checkbox) means no; anything else that is not affirmative is refused.
       */
      sms_consent: z.preprocess((value) => (value === false ? undefined : value), affirmative.optional()),
      form: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _')
        .optional(),
      /** The honeypot: humans never see it, so anything in it means a bot. */
      website: z.string().optional(),
      /**
       * Where the person is, as their browser reports it (the example page fills it with
       * script); empty when the page ran none. Quiet hours and times of day are read in it.
       */
      timezone: z
        .string({ error: timeZoneProblem })
        .trim()
        .optional()
        .transform((value) => (value === '' ? undefined : value))
        .pipe(TimeZone.optional()),
      utm_source: optionalText(200),
      utm_medium: optionalText(200),
      utm_campaign: optionalText(200),
      redirect: z
        .string()
        .trim()
        .optional()
        .transform((value) => (value === '' ? undefined : value))
        .pipe(
          z
            .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
            .refine(
              (url) => URL.canParse(url) && rules.redirectOrigins.includes(new URL(url).origin),
              'must point to an allowed origin',
            )
            .optional(),
        ),
    })
    .superRefine((form, ctx) => {
      if (form.sms_consent !== undefined && form.phone === undefined)
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required to agree to SMS' });
    });
export type SignupForm = z.infer<ReturnType<typeof signupFormSchema>>;

/** Turns zod issues into the `fields` of a 400: one message per field, named by its path. */
export const fieldErrors = (error: z.ZodError): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.filter((part) => typeof part === 'string').join('.') || 'body';
    fields[field] ??= issue.message;
  }
  return fields;
};

export const parseSignupForm = (input: unknown, rules: SignupFormRules): SignupForm => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError({ body: 'must be a form or a JSON object' });
  }
  const result = signupFormSchema(rules).safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
};
