/** How many requests one key may make in a fixed window of time. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed-window counters shared by every instance of a function: the request is counted
 * only if the key's count in the current window is still under the limit.
 */
export interface RateLimiter {
  /** `key` must already be free of personal data (a hash of an address, a form id). */
  take(key: string, rate: RateLimit, now: Date): Promise<RateDecision>;
}

/** The window `now` falls in: its start (an ISO time) and the seconds until it ends. */
export const windowOf = (
  rate: RateLimit,
  now: Date,
): { start: string; secondsLeft: number; endsAt: Date } => {
  const startMs = Math.floor(now.getTime() / rate.windowMs) * rate.windowMs;
  const endsAt = new Date(startMs + rate.windowMs);
  return {
    start: new Date(startMs).toISOString(),
    secondsLeft: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)),
    endsAt,
  };
};
