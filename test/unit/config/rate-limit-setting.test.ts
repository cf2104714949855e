import { describe, expect, it } from 'vitest';
import { RateLimitSetting, signupRateLimitDefaults } from '../../../lib/config/rate-limit-setting.js';
import { parseRuntimeEnv } from '../../../lib/config/runtime-env.js';

const required = {
  TABLE_NAME: 'rapport',
  AWS_REGION: 'us-east-1',
  PUBLIC_BASE_URL: 'https://example.com',
  SENDER_EMAIL: 'hello@example.com',
  POSTAL_ADDRESS: '1 Main St',
  ALLOWED_ORIGINS: 'https://shop.example.com',
};

describe('a rate limit setting', () => {
  it('reads a count and an ISO 8601 window', () => {
    expect(RateLimitSetting.parse('10/PT10M')).toEqual({ limit: 10, windowMs: 600_000 });
    expect(RateLimitSetting.parse(' 300/PT1M ')).toEqual({ limit: 300, windowMs: 60_000 });
  });

  it.each([
    ['10', 'no window'],
    ['ten/PT1M', 'no count'],
    ['0/PT1M', 'a count of none'],
    ['10/PT0.5S', 'a window under a second'],
    ['10/P2D', 'a window over a day'],
    ['10/10m', 'a window that is not ISO 8601'],
  ])('refuses %s (%s), saying what it takes', (value) => {
    const result = RateLimitSetting.safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(
      /^must be a count and an ISO 8601 window, e.g. 10\/PT10M/,
    );
  });

  it('gives the signup form its defaults when the environment names none, and fails fast on a bad one', () => {
    const env = parseRuntimeEnv(required);

    expect(env.SIGNUP_LIMIT_PER_IP).toEqual(RateLimitSetting.parse(signupRateLimitDefaults.perIp));
    expect(env.SIGNUP_LIMIT_PER_FORM).toEqual({ limit: 300, windowMs: 60_000 });
    expect(() => parseRuntimeEnv({ ...required, SIGNUP_LIMIT_PER_IP: 'lots' })).toThrow(
      /SIGNUP_LIMIT_PER_IP: must be/,
    );
  });
});
