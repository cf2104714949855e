/** How many requests one key may make in a fixed window of time. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export type RateDecision =
  | { allowed: true }
  /** `retryAfterMs` until the window ends; `retryAfterSeconds` the same, rounded up, for a Retry-After header. */
  | { allowed: false; retryAfterSeconds: number; retryAfterMs: number };

/**
 * Fixed-window counters shared by every instance of a function: the request is counted
 * only if the key's count in the current window is still under the limit.
 */
export interface RateLimiter {
  /** `key` must already be free of personal data (a hash of an address, a form id). */
  take(key: string, rate: RateLimit, now: Date): Promise<RateDecision>;
  /** Whether the key's count in the current window has reached the limit, without counting this look. */
  check(key: string, rate: RateLimit, now: Date): Promise<RateDecision>;
}

const refusal = (msLeft: number): RateDecision => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  retryAfterMs: msLeft,
});

/** The window `now` falls in: its start (an ISO time), its end, and the answer to a request over its limit. */
export const windowOf = (
  rate: RateLimit,
  now: Date,
): { start: string; endsAt: Date; refusal: RateDecision } => {
  const startMs = Math.floor(now.getTime() / rate.windowMs) * rate.windowMs;
  const endsAt = new Date(startMs + rate.windowMs);
  return {
    start: new Date(startMs).toISOString(),
    endsAt,
    refusal: refusal(endsAt.getTime() - now.getTime()),
  };
};
