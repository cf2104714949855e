import { z } from 'zod';

export const refuseDisposableProblem = 'must be true or false';

/** `REFUSE_DISPOSABLE_EMAIL`, `rapport:refuseDisposableEmail`: whether signups from throwaway mail are refused. */
export const RefuseDisposableEmailSetting = z
  .union([z.boolean(), z.string()], { error: refuseDisposableProblem })
  .transform((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  .pipe(z.union([z.boolean(), z.enum(['true', 'false', ''])], { error: refuseDisposableProblem }))
  .transform((value) => value === true || value === 'true');

const hostname = z.hostname();
/** A name with a dot at least: a list that named `localhost` or a top-level domain would be a mistake. */
const domain = z
  .string()
  .refine((name) => name.includes('.') && hostname.safeParse(name).success, {
    error: (issue) => `"${String(issue.input)}" is not a domain such as throwaway.example`,
  })
  .transform((name) => name.toLowerCase());

/**
 * `DISPOSABLE_EMAIL_DOMAINS`, `rapport:disposableEmailDomains`: throwaway domains a
 * deployment refuses besides the shipped list, comma-separated; each covers its subdomains.
 */
export const DisposableEmailDomainsSetting = z.string().transform((value, ctx) => {
  const names = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const parsed = z.array(domain).safeParse(names);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
});
