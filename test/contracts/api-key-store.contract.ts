import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../lib/domain/api-key.js';
import { NotFoundError } from '../../lib/domain/errors.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const aKey = (overrides: Partial<ApiKey> = {}): ApiKey => {
  const keyId = newId();
  return {
    keyId,
    name: 'Shop backend',
    keyHash: createHash('sha256').update(keyId).digest('hex'),
    hint: keyId.slice(-4),
    createdAt: '2026-11-01T09:00:00.000Z',
    ...overrides,
  };
};

/** ApiKeyStore: found by hash, listed by id, revoked once. */
export const apiKeyStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('finds a key by the hash of its secret and lists it', async () => {
      const key = aKey();
      await stores.apiKeys.create(key);

      expect(await stores.apiKeys.findByHash(key.keyHash)).toEqual(key);
      expect(await stores.apiKeys.findByHash('0'.repeat(64))).toBeUndefined();
      expect(await stores.apiKeys.list()).toEqual([key]);
    });

    it('refuses a second key with the same id or hash, keeping the first', async () => {
      const key = aKey();
      await stores.apiKeys.create(key);

      await expect(stores.apiKeys.create({ ...key, name: 'Copy' })).rejects.toThrow();
      expect(await stores.apiKeys.list()).toEqual([key]);
    });

    it('revokes a key under both its items, once: revoking again answers the first revocation', async () => {
      const key = aKey();
      await stores.apiKeys.create(key);

      const revoked = await stores.apiKeys.revoke(key.keyId, new Date('2026-11-20T09:00:00.000Z'));
      expect(revoked).toEqual({ ...key, revokedAt: '2026-11-20T09:00:00.000Z' });
      expect(await stores.apiKeys.revoke(key.keyId, new Date('2026-12-01T09:00:00.000Z'))).toEqual(revoked);
      expect(await stores.apiKeys.findByHash(key.keyHash)).toEqual(revoked);
      expect(await stores.apiKeys.list()).toEqual([revoked]);
      await expect(stores.apiKeys.revoke('no-such-key', new Date())).rejects.toBeInstanceOf(NotFoundError);
    });
  });
