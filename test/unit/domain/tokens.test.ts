import { describe, expect, it } from 'vitest';
import { TokenKeys } from '../../../lib/config/runtime-env.js';
import { ExpiredTokenError, InvalidTokenError } from '../../../lib/domain/errors.js';
import { issueToken, verifyToken } from '../../../lib/domain/tokens.js';

const secretA = 'a'.repeat(40);
const secretB = 'b'.repeat(40);
const keys = TokenKeys.parse({ current: 'k1', k1: secretA });
const now = new Date('2026-11-23T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

const tokenFor = (
  purpose: 'confirm' | 'unsubscribe' | 'preferences' = 'unsubscribe',
  expiresAt = inDays(90),
) => issueToken(keys, { purpose, contactId: 'contact-1', expiresAt });

describe('signed link tokens', () => {
  it('verifies a token it issued and returns its contact', () => {
    expect(verifyToken(keys, tokenFor(), 'unsubscribe', now)).toMatchObject({
      purpose: 'unsubscribe',
      contactId: 'contact-1',
    });
  });

  it('carries the key of the message the link was sent in, when given one', () => {
    const token = issueToken(keys, {
      purpose: 'unsubscribe',
      contactId: 'contact-1',
      expiresAt: inDays(90),
      messageKey: 'campaign#spring',
    });

    expect(verifyToken(keys, token, 'unsubscribe', now).messageKey).toBe('campaign#spring');
    expect(verifyToken(keys, tokenFor(), 'unsubscribe', now)).not.toHaveProperty('messageKey');
  });

  it('still verifies on day 60', () => {
    expect(() => verifyToken(keys, tokenFor(), 'unsubscribe', inDays(60))).not.toThrow();
  });

  describe('when the token is tampered with', () => {
    it('refuses a changed payload', () => {
      const [payload, mac] = tokenFor().split('.');
      const forged = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), c: 'contact-2' }),
      ).toString('base64url');
      expect(() => verifyToken(keys, `${forged}.${mac}`, 'unsubscribe', now)).toThrow(InvalidTokenError);
    });

    it('refuses a changed signature', () => {
      const token = tokenFor();
      const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'AB' : 'AA'}`;
      expect(() => verifyToken(keys, flipped, 'unsubscribe', now)).toThrow(InvalidTokenError);
    });

    it.each(['', 'abc', 'a.b.c', '.', 'not base64!.x'])('refuses the malformed token %j', (token) => {
      expect(() => verifyToken(keys, token, 'unsubscribe', now)).toThrow(InvalidTokenError);
    });
  });

  describe('when a token is written other than as it was issued', () => {
    const verify = (token: string) => () => verifyToken(keys, token, 'unsubscribe', now);
    const flipSpareBits = (part: string) => {
      // The last character of unpadded base64url carries bits no byte uses; changing them keeps the bytes.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = part.at(-1) ?? 'A';
      const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? last;
      return `${part.slice(0, -1)}${sibling}`;
    };

    it.each([
      ['with "=" appended', (token: string) => `${token}=`],
      ['with padding appended to the signature', (token: string) => `${token}==`],
      ['with "!!!!" inserted', (token: string) => token.replace('.', '!!!!.')],
      ['in standard base64', (token: string) => token.replaceAll('-', '+').replaceAll('_', '/')],
      [
        'with the spare bits of the signature changed',
        (token: string) => {
          const [payload, mac] = token.split('.');
          return `${payload}.${flipSpareBits(mac ?? '')}`;
        },
      ],
    ])('refuses it %s', (_case, rewrite) => {
      // A token whose text has both "-" and "_", so that every rewrite changes it.
      const token =
        Array.from({ length: 200 }, (_, n) =>
          issueToken(keys, { purpose: 'unsubscribe', contactId: `contact-${n}`, expiresAt: inDays(90) }),
        ).find((candidate) => /-/.test(candidate) && /_/.test(candidate)) ?? tokenFor();
      const rewritten = rewrite(token);
      // Only a rewrite that still decodes to the same bytes tests canonical reading.
      expect(rewritten).not.toBe(token);
      expect(verify(rewritten)).toThrow(InvalidTokenError);
    });

    it('gives one answer whatever check failed', () => {
      const token = tokenFor();
      const [payload, mac] = token.split('.');
      const messages = [
        `${payload}.${mac}x`,
        `x${payload}.${mac}`,
        tokenFor('confirm'),
        issueToken(TokenKeys.parse({ current: 'k9', k9: secretB }), {
          purpose: 'unsubscribe',
          contactId: 'c',
          expiresAt: inDays(5),
        }),
        'not-a-token',
      ].map((candidate) => {
        try {
          verifyToken(keys, candidate, 'unsubscribe', now);
          return 'verified';
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      });
      expect(new Set(messages)).toEqual(new Set(['this link is not valid']));
    });
  });

  it('refuses a token issued for another purpose', () => {
    expect(() => verifyToken(keys, tokenFor('confirm'), 'unsubscribe', now)).toThrow(InvalidTokenError);
  });

  it('refuses an expired token with its own error', () => {
    expect(() => verifyToken(keys, tokenFor('unsubscribe', inDays(1)), 'unsubscribe', inDays(2))).toThrow(
      ExpiredTokenError,
    );
  });

  describe('when the keys are rotated', () => {
    const rotated = TokenKeys.parse({ current: 'k2', k1: secretA, k2: secretB });

    it('keeps verifying links signed with the retiring key', () => {
      expect(verifyToken(rotated, tokenFor(), 'unsubscribe', now).contactId).toBe('contact-1');
    });

    it('signs new links with the new key, which the old key set cannot verify', () => {
      const fresh = issueToken(rotated, { purpose: 'unsubscribe', contactId: 'c', expiresAt: inDays(90) });
      expect(verifyToken(rotated, fresh, 'unsubscribe', now).contactId).toBe('c');
      expect(() => verifyToken(keys, fresh, 'unsubscribe', now)).toThrow(InvalidTokenError);
    });

    it('stops verifying links once their key is dropped', () => {
      const onlyNew = TokenKeys.parse({ current: 'k2', k2: secretB });
      expect(() => verifyToken(onlyNew, tokenFor(), 'unsubscribe', now)).toThrow(InvalidTokenError);
    });
  });

  describe('key configuration', () => {
    it.each([
      [{ k1: secretA }, 'must name one of the keys'],
      [{ current: 'k9', k1: secretA }, 'must name one of the keys'],
      [{ current: 'k1', k1: 'short' }, 'shorter than 32'],
      [{ current: 'k1', k1: secretA, k2: secretB, k3: secretB }, 'at most two'],
    ])('rejects %j', (raw, message) => {
      const result = TokenKeys.safeParse(raw);
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error?.issues)).toContain(message);
    });
  });
});
