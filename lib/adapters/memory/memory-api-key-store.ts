import { ApiKey } from '../../domain/api-key.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ApiKeyStore } from '../../ports/api-key-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** Two items per key, by hash and by id, as DynamoApiKeyStore keeps them. */
export class MemoryApiKeyStore implements ApiKeyStore {
  constructor(private readonly table: MemoryTable) {}

  private items(key: ApiKey) {
    return [
      { ...keys.apiKey(key.keyHash), type: 'api-key' satisfies ItemType, ...key },
      { ...keys.apiKeyPointer(key.keyId), type: 'api-key' satisfies ItemType, ...key },
    ];
  }

  async create(key: ApiKey): Promise<void> {
    const cancellation = await this.table.transact(
      this.items(key).map((item) => ({ put: item, condition: itemAbsent })),
    );
    if (cancellation !== undefined) throw new Error(`key ${key.keyId} exists already`);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const item = await this.table.get(keys.apiKey(keyHash));
    return item === undefined ? undefined : ApiKey.parse(item);
  }

  async list(): Promise<ApiKey[]> {
    const items = await this.table.queryAll(keys.apiKeyPointerPartition);
    return items.map((item) => ApiKey.parse(item));
  }

  async revoke(keyId: string, at: Date): Promise<ApiKey> {
    const item = await this.table.get(keys.apiKeyPointer(keyId));
    if (item === undefined) throw new NotFoundError(`there is no API key "${keyId}"`);
    const key = ApiKey.parse(item);
    if (key.revokedAt !== undefined) return key;
    const revoked: ApiKey = { ...key, revokedAt: at.toISOString() };
    const cancellation = await this.table.transact(this.items(revoked).map((put) => ({ put })));
    if (cancellation !== undefined) throw new Error(`revoking key ${keyId} failed`);
    return revoked;
  }
}
