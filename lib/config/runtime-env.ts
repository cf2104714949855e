import { z } from 'zod';

const commaList = z
  .string()
  .transform((value) =>
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

/** One signing key; `id` travels inside every token so a rotated-out key can still verify old links. */
export const TokenKey = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), secret: z.string().min(32) });
export type TokenKey = z.infer<typeof TokenKey>;

/** The first key signs; every listed key verifies. Two keys at once is how a rotation is rolled out. */
export const TokenKeys = z.array(TokenKey).min(1).max(2);
export type TokenKeys = z.infer<typeof TokenKeys>;

/**
 * The environment every handler reads, in both runtimes. Endpoints are absent in
 * the cloud (the SDK finds AWS) and point at the local emulators under `npm start`.
 */
export const RuntimeEnv = z
  .object({
    TABLE_NAME: z.string().min(1),
    AWS_REGION: z.string().min(1),
    DYNAMODB_ENDPOINT: z.url().optional(),
    SES_ENDPOINT: z.url().optional(),
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
    TOPICS: commaList.pipe(z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1)).default([
      'newsletter',
      'product-updates',
      'recommendations',
    ]),
    SES_CONFIGURATION_SET: z.string().optional(),
    POWERTOOLS_SERVICE_NAME: z.string().default('rapport'),
  })
  .refine((env) => env.TOKEN_KEYS === undefined || env.TOKEN_KEYS_SECRET_ARN === undefined, {
    message: 'set TOKEN_KEYS or TOKEN_KEYS_SECRET_ARN, not both',
    path: ['TOKEN_KEYS'],
  });
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

export const parseRuntimeEnv = (source: Record<string, string | undefined>): RuntimeEnv => {
  const result = RuntimeEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new InvalidEnvironmentError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
};
