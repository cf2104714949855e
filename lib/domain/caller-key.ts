import { createHash } from 'node:crypto';

/**
 * A rate limiter's key for a caller's IP address: counters need only tell callers apart,
 * so they hold a hash, not the address. It is still personal data (every IPv4 address can
 * be hashed and compared), which is why such counters are kept an hour at most.
 */
export const callerKey = (purpose: string, ip: string): string =>
  `${purpose}:${createHash('sha256').update(ip).digest('base64url')}`;
