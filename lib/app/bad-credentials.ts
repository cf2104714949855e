import { callerKey } from '../domain/caller-key.js';
import type { Clock } from '../ports/clock.js';
import type { RateLimit, RateLimiter } from '../ports/rate-limiter.js';

/** Wrong credentials one IP address may send before none from it is even looked at, for a while. */
export const badCredentialsPerSource: RateLimit = { limit: 20, windowMs: 10 * 60_000 };

export interface CredentialCheckDeps {
  rateLimiter: RateLimiter;
  clock: Clock;
}

export interface CredentialAttempt<T> {
  /** Keeps one kind of credential's count apart from another's (`bad-api-key`, `bad-admin-token`). */
  purpose: string;
  /** The caller's address; without one nothing is counted or refused. */
  sourceIp: string | undefined;
  /** Who the presented credential stands for, or undefined when it stands for nobody. */
  verify: () => Promise<T | undefined> | T | undefined;
}

/**
 * The one policy against guessing credentials, for API keys and the local gateway's
 * tokens alike: a credential that `verify` refuses counts against the caller's address,
 * and past `badCredentialsPerSource` no credential from that address is verified until
 * the window ends, the right one included, so credentials cannot be tried at speed. A
 * locked-out caller gets undefined, as a wrong credential does, so the caller answers
 * both as it answers a missing one. The caller leaves out what cannot be right (no
 * credential, or one of the wrong shape): it guesses nothing, and is not counted.
 */
export const verifyCredential = async <T>(
  deps: CredentialCheckDeps,
  attempt: CredentialAttempt<T>,
): Promise<T | undefined> => {
  const source = attempt.sourceIp === undefined ? undefined : callerKey(attempt.purpose, attempt.sourceIp);
  const now = deps.clock.now();
  if (source !== undefined && !(await deps.rateLimiter.check(source, badCredentialsPerSource, now)).allowed)
    return undefined;
  const found = await attempt.verify();
  if (found === undefined && source !== undefined)
    await deps.rateLimiter.take(source, badCredentialsPerSource, now);
  return found;
};
