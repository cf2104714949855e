import { z } from 'zod';
import { type ApiKey, hashApiKey } from '../domain/api-key.js';
import type { ApiKeyList, ApiKeySummary, NewApiKey } from '../domain/api-key-summary.js';
import type { ApiKeyStore, SecretGenerator } from '../ports/api-key-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { problemsOf, refuse } from './admin/problems.js';

export interface ManageApiKeysDeps {
  apiKeys: ApiKeyStore;
  secrets: SecretGenerator;
  ids: IdGenerator;
  clock: Clock;
}

export const NewApiKeyRequest = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** What is shown about a key: never its hash, which is as good as the key for a lookup. */
const summary = ({ keyHash: _hash, ...key }: ApiKey): ApiKeySummary => key;

/** Creates a key and answers it once: only its hash is stored, so it cannot be shown again. */
export const createApiKey = async (deps: ManageApiKeysDeps, body: unknown): Promise<NewApiKey> => {
  const parsed = NewApiKeyRequest.safeParse(body);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the key request is not valid');
  const secret = deps.secrets.secret();
  const key: ApiKey = {
    keyId: deps.ids.next(),
    name: parsed.data.name,
    keyHash: hashApiKey(secret),
    hint: secret.slice(-4),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.apiKeys.create(key);
  return { ...summary(key), key: secret };
};

export const listApiKeys = async (deps: ManageApiKeysDeps): Promise<ApiKeyList> => ({
  keys: (await deps.apiKeys.list()).map(summary),
});

/** Takes effect on the next request: every request looks its key up. */
export const revokeApiKey = async (deps: ManageApiKeysDeps, keyId: string): Promise<ApiKeySummary> =>
  summary(await deps.apiKeys.revoke(keyId, deps.clock.now()));
