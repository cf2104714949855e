import { z } from 'zod';
import { durationOf, IsoDuration } from '../domain/durations.js';
import type { RateLimit } from '../ports/rate-limiter.js';

const shape = /^(\d{1,7})\/(P\S+)$/;
export const rateLimitProblem = 'must be a count and an ISO 8601 window, e.g. 10/PT10M (ten in ten minutes)';
const longestWindowMs = 24 * 3_600_000;

/**
 * A rate limit as a setting (`SIGNUP_LIMIT_PER_IP`, `rapport:signupLimitPerIp`):
 * `<count>/<window>`, e.g. `10/PT10M`. The window is one second to one day.
 */
export const RateLimitSetting = z.string({ error: rateLimitProblem }).transform((value, ctx): RateLimit => {
  const match = shape.exec(value.trim());
  const [, count, window] = match ?? [];
  if (count === undefined || window === undefined || !IsoDuration.safeParse(window).success) {
    ctx.addIssue({ code: 'custom', message: rateLimitProblem });
    return z.NEVER;
  }
  const windowMs = durationOf(window).toMillis();
  const limit = Number(count);
  if (limit < 1 || windowMs < 1000 || windowMs > longestWindowMs) {
    ctx.addIssue({
      code: 'custom',
      message: `${rateLimitProblem}; at least 1, in a window of 1 second to 1 day`,
    });
    return z.NEVER;
  }
  return { limit, windowMs };
});

/** The signup form's limits unless configured: what a shop's visitors need, and a bot does not get. */
export const signupRateLimitDefaults = {
  /** An office or a household shares one address; a bot hammering the form too. */
  perIp: '10/PT10M',
  perForm: '300/PT1M',
} as const;
