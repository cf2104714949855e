import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, NotFoundError } from '../../domain/errors.js';
import type { Product } from '../../domain/product.js';
import type { CatalogStore, ProductPage, StoredProduct } from '../../ports/catalog-store.js';
import { batchGetItems } from './batch-get.js';
import { afterMoment, canonical, ProductAsStored, releaseKeys, sameKey, stored } from './catalog-items.js';
import { type DamageReporter, readEachRepairing, reportOnStderr } from './damaged-items.js';
import { type ItemType, mustNotExist } from './items.js';
import { keys } from './keys.js';
import { type TransactItem, transactWrite } from './transactions.js';

export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async get(sku: string): Promise<StoredProduct | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.product(sku), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : stored(Item, this.reportDamage);
  }

  async getMany(skus: readonly string[]): Promise<Map<string, Product>> {
    const items = await batchGetItems(
      this.documentClient,
      this.tableName,
      skus.map((sku) => keys.product(sku)),
    );
    const found = new Map<string, Product>();
    for (const item of items.values()) {
      const { product } = stored(item, this.reportDamage);
      found.set(product.sku, product);
    }
    return found;
  }

  async list(limit: number, after?: string): Promise<ProductPage> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.catalogPartition, ':prefix': keys.productPrefix },
        Limit: limit,
        ConsistentRead: true,
        ...(after === undefined ? {} : { ExclusiveStartKey: keys.product(after) }),
      }),
    );
    const products = (page.Items ?? []).map((item) => stored(item, this.reportDamage).product);
    const last = products.at(-1);
    return { products, next: page.LastEvaluatedKey === undefined ? undefined : last?.sku };
  }

  async put(product: Product, expectedVersion: number | undefined): Promise<StoredProduct> {
    const current = await this.get(product.sku);
    if (current?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(
        `product ${product.sku} is at version ${current?.version ?? 'none'}, not ${expectedVersion ?? 'none'}`,
      );
    }
    return this.write(canonical(product), current);
  }

  async remove(sku: string): Promise<Product | undefined> {
    const current = await this.get(sku);
    if (current === undefined) return undefined;
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.product(sku),
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': current.version },
        },
      },
      ...releaseKeys(current.product).map((release) => ({
        Delete: { TableName: this.tableName, Key: release },
      })),
    ];
    if ((await transactWrite(this.documentClient, items)) !== undefined) {
      throw new ConcurrentUpdateError(`product ${sku} changed while it was being removed`);
    }
    return current.product;
  }

  async releasedSince(category: string, sinceIso: string, limit: number): Promise<Product[]> {
    if (limit < 1) return [];
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK > :after',
        ExpressionAttributeValues: {
          ':pk': keys.categoryReleasePartition(category),
          ':after': afterMoment(sinceIso),
        },
        // Newest first: with more releases than the limit, the latest are the ones worth showing.
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return readEachRepairing(ProductAsStored, page.Items ?? [], this.reportDamage);
  }

  async publish(sku: string, publishedAt: string, updatedAt: string): Promise<StoredProduct> {
    const current = await this.get(sku);
    if (current === undefined) throw new NotFoundError(`there is no product "${sku}"`);
    return this.write(canonical({ ...current.product, publishedAt, updatedAt }), current);
  }

  /**
   * The product over the version read, and its category-release entries moved
   * with it (a new category or publication time is a new key), in one
   * transaction: the catalog and the releases never disagree.
   */
  private async write(product: Product, current: StoredProduct | undefined): Promise<StoredProduct> {
    const version = (current?.version ?? 0) + 1;
    const before = current === undefined ? [] : releaseKeys(current.product);
    const after = releaseKeys(product);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.product(product.sku), type: 'product' satisfies ItemType, ...product, version },
          ...(current === undefined
            ? { ConditionExpression: mustNotExist }
            : {
                ConditionExpression: '#version = :read',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':read': current.version },
              }),
        },
      },
      ...before
        .filter((key) => !after.some((kept) => sameKey(key, kept)))
        .map((key) => ({ Delete: { TableName: this.tableName, Key: key } })),
      // A snapshot of the product, rewritten with every change, so a release read needs no second lookup.
      ...after.map((key) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...key, type: 'category-release' satisfies ItemType, ...product },
        },
      })),
    ];
    if ((await transactWrite(this.documentClient, items)) !== undefined) {
      throw new ConcurrentUpdateError(
        `product ${product.sku} changed since version ${current?.version ?? 0}`,
      );
    }
    return { product, version };
  }
}
