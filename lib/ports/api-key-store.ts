import type { ApiKey } from '../domain/api-key.js';

export interface ApiKeyStore {
  create(key: ApiKey): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  /** Marks the key revoked (idempotent); NotFoundError for an unknown id. */
  revoke(keyId: string, at: Date): Promise<ApiKey>;
}

/** Where new keys come from: enough randomness that guessing one is hopeless. */
export interface SecretGenerator {
  secret(): string;
}
