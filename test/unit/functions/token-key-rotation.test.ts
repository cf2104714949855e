import { describe, expect, it } from 'vitest';
import { createDependencies } from '../../../functions/composition-root.js';
import type { SecretReader } from '../../../lib/adapters/secrets/token-keys-source.js';
import { parseRuntimeEnv } from '../../../lib/config/runtime-env.js';
import { timing } from '../../../lib/config/timing.js';
import { InvalidTokenError } from '../../../lib/domain/errors.js';
import { issueToken, type TokenKeys, verifyToken } from '../../../lib/domain/tokens.js';
import type { Clock } from '../../../lib/ports/clock.js';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rapport-token-keys';
const env = parseRuntimeEnv({
  TABLE_NAME: 'rapport-unit',
  AWS_REGION: 'eu-west-1',
  PUBLIC_BASE_URL: 'https://api.example.com',
  SENDER_EMAIL: 'Shop <news@example.com>',
  POSTAL_ADDRESS: '1 Example Street',
  ALLOWED_ORIGINS: 'https://www.example.com',
  TOKEN_KEYS_SECRET_ARN: secretArn,
});

const k1 = 'a'.repeat(40);
const k2 = 'b'.repeat(40);
const minute = 60_000;
const day = 24 * 60 * minute;

/** The stack's secret as docs/operations.md edits it; counts reads, and can fail the next one. */
class SecretStore {
  value = JSON.stringify({ current: 'k1', k1 });
  reads = 0;
  failNext = false;
  readonly read: SecretReader = async (secretId) => {
    expect(secretId).toBe(secretArn);
    this.reads += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('ThrottlingException');
    }
    return this.value;
  };
}

/** One clock for the whole test: every instance sees the same virtual time. */
class VirtualClock implements Clock {
  private at = Date.parse('2026-03-01T09:00:00Z');
  now(): Date {
    return new Date(this.at);
  }
  async sleep(ms: number): Promise<void> {
    this.at += ms;
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A warm function instance: its own dependencies, built once, reading the shared secret. */
const warmInstance = (secret: SecretStore, clock: Clock): (() => Promise<TokenKeys>) =>
  createDependencies(env, { clock, readSecret: secret.read }).tokenKeys;

const link = (keys: TokenKeys, clock: Clock): string =>
  issueToken(keys, {
    purpose: 'unsubscribe',
    contactId: 'c-1',
    expiresAt: new Date(clock.now().getTime() + 200 * day),
  });

const verifies = (keys: TokenKeys, token: string, clock: Clock): boolean => {
  try {
    verifyToken(keys, token, 'unsubscribe', clock.now());
    return true;
  } catch (error) {
    if (error instanceof InvalidTokenError) return false;
    throw error;
  }
};

describe('when a warm instance reads the link-signing keys', () => {
  it('keeps them no longer than their maximum age, then reads the secret again', async () => {
    const secret = new SecretStore();
    const clock = new VirtualClock();
    const keys = warmInstance(secret, clock);
    const old = link(await keys(), clock);

    secret.value = JSON.stringify({ current: 'k1', k1, k2 });
    const signedWithK2 = link({ current: 'k2', secrets: new Map([['k2', k2]]) }, clock);
    clock.advance(timing.settings.tokenKeysMaxAgeMs - 1);
    expect(verifies(await keys(), signedWithK2, clock)).toBe(false);
    expect(secret.reads).toBe(1);

    clock.advance(1);
    expect(verifies(await keys(), signedWithK2, clock)).toBe(true);
    expect(verifies(await keys(), old, clock)).toBe(true);
    expect(secret.reads).toBe(2);
  });

  it('does not keep a failed read: the next call reads again at once', async () => {
    const secret = new SecretStore();
    const clock = new VirtualClock();
    const keys = warmInstance(secret, clock);

    secret.failNext = true;
    await expect(keys()).rejects.toThrow('ThrottlingException');
    expect((await keys()).current).toBe('k1');
    expect(secret.reads).toBe(2);
  });

  it('shares one read among the calls made while it is in flight', async () => {
    const secret = new SecretStore();
    const keys = warmInstance(secret, new VirtualClock());

    await Promise.all([keys(), keys(), keys()]);

    expect(secret.reads).toBe(1);
  });
});

describe('when the keys are rotated in the three steps of docs/operations.md', () => {
  it('verifies every link at every step on every warm instance, and only refuses the old key once it is dropped', async () => {
    const secret = new SecretStore();
    const clock = new VirtualClock();
    const first = warmInstance(secret, clock);
    const second = warmInstance(secret, clock);
    const beforeRotation = link(await first(), clock);

    // Step 1: add k2, still signing with k1.
    clock.advance(3 * minute);
    secret.value = JSON.stringify({ current: 'k1', k1, k2 });
    // An instance that read the secret before step 1 does not know k2 yet: making it current now would be too soon.
    const tooSoon = link({ current: 'k2', secrets: new Map([['k2', k2]]) }, clock);
    expect(verifies(await first(), tooSoon, clock)).toBe(false);

    clock.advance(6 * minute);
    expect(await second()).toMatchObject({ current: 'k1' });
    expect((await second()).secrets.has('k2')).toBe(true);

    // Step 2, ten minutes after step 1: make k2 current.
    clock.advance(timing.settings.keyRotationStepMs - 6 * minute);
    secret.value = JSON.stringify({ current: 'k2', k1, k2 });
    const afterStep2 = await first();
    expect(afterStep2.current).toBe('k2');
    const signedWithK2 = link(afterStep2, clock);
    // The second instance has not re-read since step 1, and still signs with k1; it knows k2 all the same.
    const stillOnStep1 = await second();
    expect(stillOnStep1.current).toBe('k1');
    expect(verifies(stillOnStep1, signedWithK2, clock)).toBe(true);
    expect(verifies(stillOnStep1, beforeRotation, clock)).toBe(true);
    expect(verifies(afterStep2, beforeRotation, clock)).toBe(true);

    // Step 3, once the old links have expired: drop k1.
    clock.advance(90 * day);
    secret.value = JSON.stringify({ current: 'k2', k2 });
    for (const instance of [first, second]) {
      const keys = await instance();
      expect(keys.current).toBe('k2');
      expect(verifies(keys, signedWithK2, clock)).toBe(true);
      expect(verifies(keys, beforeRotation, clock)).toBe(false);
    }
  });
});
