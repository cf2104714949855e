import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ApiKey } from '../../domain/api-key.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ApiKeyStore } from '../../ports/api-key-store.js';
import { type ItemType, putNew } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { transactWrite } from './transactions.js';

/** Two items per key: by hash (what a request looks up) and a pointer by id (what people list and revoke). */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private items(key: ApiKey) {
    return [
      { ...keys.apiKey(key.keyHash), type: 'api-key' satisfies ItemType, ...key },
      { ...keys.apiKeyPointer(key.keyId), type: 'api-key' satisfies ItemType, ...key },
    ];
  }

  async create(key: ApiKey): Promise<void> {
    const cancellation = await transactWrite(
      this.documentClient,
      this.items(key).map((item) => putNew(this.tableName, item)),
    );
    if (cancellation !== undefined) throw new Error(`key ${key.keyId} exists already`);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : ApiKey.parse(Item);
  }

  async list(): Promise<ApiKey[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.apiKeyPointerPartition },
      ConsistentRead: true,
    });
    return items.map((item) => ApiKey.parse(item));
  }

  async revoke(keyId: string, at: Date): Promise<ApiKey> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKeyPointer(keyId), ConsistentRead: true }),
    );
    if (Item === undefined) throw new NotFoundError(`there is no API key "${keyId}"`);
    const key = ApiKey.parse(Item);
    if (key.revokedAt !== undefined) return key;
    const revoked: ApiKey = { ...key, revokedAt: at.toISOString() };
    const cancellation = await transactWrite(
      this.documentClient,
      this.items(revoked).map((item) => ({ Put: { TableName: this.tableName, Item: item } })),
    );
    if (cancellation !== undefined) throw new Error(`revoking key ${keyId} failed`);
    return revoked;
  }
}
