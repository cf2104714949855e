import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ExpiredTokenError, InvalidTokenError } from './errors.js';

/** What a token lets its bearer do; a token for one purpose never works for another. */
export const TokenPurpose = z.enum(['confirm', 'unsubscribe', 'preferences']);
export type TokenPurpose = z.infer<typeof TokenPurpose>;

const TokenPayload = z.object({
  /** purpose */
  p: TokenPurpose,
  /** contact id */
  c: z.string().min(1),
  /** expiry, epoch seconds */
  x: z.number().int(),
  /** id of the signing key, so rotated keys keep verifying */
  k: z.string().min(1),
  /** the key of the message the link was sent in, when there was one */
  m: z.string().min(1).optional(),
});
type TokenPayload = z.infer<typeof TokenPayload>;

/**
 * The signing keys by id and the one that signs now; every key listed verifies.
 * The environment (TOKEN_KEYS, or the secret it names) is parsed into this.
 */
export interface TokenKeys {
  current: string;
  secrets: ReadonlyMap<string, string>;
}

export interface TokenClaims {
  purpose: TokenPurpose;
  contactId: string;
  expiresAt: Date;
  /** The message the link came in (an unsubscribe link in a campaign's mail), so what it leads to can be credited to it. */
  messageKey?: string;
}

const sign = (secret: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(payload).digest();

/**
 * Stateless signed links (HMAC-SHA256): `base64url(payload).base64url(mac)`. They
 * carry no address, only the contact id, so a leaked link reveals nothing.
 */
export const issueToken = (keys: TokenKeys, claims: TokenClaims): string => {
  const secret = keys.secrets.get(keys.current);
  if (secret === undefined) throw new Error(`signing key "${keys.current}" is not configured`);
  const payload: TokenPayload = {
    p: claims.purpose,
    c: claims.contactId,
    x: Math.floor(claims.expiresAt.getTime() / 1000),
    k: keys.current,
    ...(claims.messageKey === undefined ? {} : { m: claims.messageKey }),
  };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${sign(secret, encoded).toString('base64url')}`;
};

/**
 * One answer for every way a link can be wrong (malformed, an unknown key, a
 * signature that does not match, another purpose): naming the check that failed
 * would tell someone probing links which part to work on next.
 */
const notValid = () => new InvalidTokenError('this link is not valid');

/**
 * The bytes of a part written exactly as issueToken writes it: base64url without
 * padding, and the only text that encodes those bytes. Node's decoder skips
 * characters it does not know, takes padding and standard base64, and ignores
 * spare bits, so `abc` and `ab!c=` would decode alike; a link is one text only.
 */
const canonicalBytes = (part: string): Buffer | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
};

const decodePayload = (encoded: string): TokenPayload => {
  const bytes = canonicalBytes(encoded);
  if (bytes === undefined) throw notValid();
  try {
    const parsed = TokenPayload.safeParse(JSON.parse(bytes.toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: malformed JSON is just another invalid token
  }
  throw notValid();
};

/** Checks the MAC in constant time before trusting anything else, then purpose and expiry. */
export const verifyToken = (
  keys: TokenKeys,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): TokenClaims => {
  const [encoded, mac, ...rest] = token.split('.');
  if (encoded === undefined || mac === undefined || rest.length > 0) throw notValid();
  const payload = decodePayload(encoded);
  const secret = keys.secrets.get(payload.k);
  if (secret === undefined) throw notValid();
  const expected = sign(secret, encoded);
  const given = canonicalBytes(mac);
  if (given === undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw notValid();
  }
  if (payload.p !== purpose) throw notValid();
  const expiresAt = new Date(payload.x * 1000);
  if (expiresAt.getTime() <= now.getTime()) throw new ExpiredTokenError('the token has expired');
  return {
    purpose: payload.p,
    contactId: payload.c,
    expiresAt,
    ...(payload.m === undefined ? {} : { messageKey: payload.m }),
  };
};
