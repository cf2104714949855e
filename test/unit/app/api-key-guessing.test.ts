import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { badCredentialsPerSource } from '../../../lib/app/bad-credentials.js';
import { authenticate } from '../../../lib/app/ingest-events.js';
import { createApiKey, revokeApiKey } from '../../../lib/app/manage-api-keys.js';
import { UnauthorizedError } from '../../../lib/domain/errors.js';
import { aWorld } from './support/worlds.js';

let world: MemoryWorld;
let key: string;
let keyId: string;

const deps = () => ({ apiKeys: world.apiKeys, rateLimiter: world.rateLimiter, clock: world.clock });
const manage = () => ({ apiKeys: world.apiKeys, secrets: world.secrets, ids: world.ids, clock: world.clock });
/** A key of the right shape that nobody made: only those are looked up, and counted. */
const guess = (n: number) => `rk_guess-${n}`.padEnd(32, 'x');

const withKey = (value: string | undefined, ip = '203.0.113.9') =>
  authenticate(deps(), value === undefined ? undefined : `Bearer ${value}`, ip);

/** The message of the refusal, which must be the same however the key was wrong. */
const refusal = async (attempt: Promise<unknown>): Promise<string> => {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof UnauthorizedError))
    throw new Error(`expected UnauthorizedError, got ${String(error)}`);
  return error.message;
};

beforeEach(async () => {
  world = aWorld('2026-11-23T12:00:00.000Z');
  const created = await createApiKey(manage(), { name: 'shop' });
  key = created.key;
  keyId = created.keyId;
});

describe('when a caller sends a wrong API key', () => {
  it('answers a missing, an unknown and a revoked key alike', async () => {
    const missing = await refusal(withKey(undefined));
    const unknown = await refusal(withKey('rk_not-a-key-anyone-made'));
    await revokeApiKey(manage(), keyId);
    const revoked = await refusal(withKey(key));

    expect(new Set([missing, unknown, revoked]).size).toBe(1);
  });
});

describe('when one address guesses API keys', () => {
  it('stops checking keys from it after the limit, the right one too, and answers as for a wrong one', async () => {
    const wrong = await refusal(withKey(guess(0)));
    for (let n = 1; n < badCredentialsPerSource.limit; n += 1) await refusal(withKey(guess(n)));

    expect(await refusal(withKey(key))).toBe(wrong);
    await expect(withKey(key, '198.51.100.4')).resolves.toMatchObject({ keyId });

    world.clock.advance(badCredentialsPerSource.windowMs);
    await expect(withKey(key)).resolves.toMatchObject({ keyId });
  });

  it('counts nothing for a missing key, which guesses nothing', async () => {
    for (let n = 0; n < badCredentialsPerSource.limit + 5; n += 1) await refusal(withKey(undefined));

    await expect(withKey(key)).resolves.toMatchObject({ keyId });
  });
});
