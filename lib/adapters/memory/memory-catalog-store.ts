import { ConcurrentUpdateError, NotFoundError } from '../../domain/errors.js';
import type { Product } from '../../domain/product.js';
import type { CatalogStore, ProductPage, StoredProduct } from '../../ports/catalog-store.js';
import type { ProductLookup } from '../../ports/product-lookup.js';
import {
  afterMoment,
  canonical,
  ProductAsStored,
  releaseKeys,
  sameKey,
  stored,
} from '../dynamodb/catalog-items.js';
import { type DamageReporter, readEachRepairing, reportOnStderr } from '../dynamodb/damaged-items.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

/**
 * The catalog on the memory table: products in the CATALOG partition in sku
 * order, and each published product's releases under every level of its
 * category, moved with it in the same transaction, as DynamoCatalogStore does.
 */
export class MemoryCatalogStore implements CatalogStore, ProductLookup {
  constructor(
    private readonly table: MemoryTable,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async get(sku: string): Promise<StoredProduct | undefined> {
    const item = await this.table.get(keys.product(sku));
    return item === undefined ? undefined : stored(item, this.reportDamage);
  }

  async getMany(skus: readonly string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    for (const sku of new Set(skus)) {
      const item = await this.table.get(keys.product(sku));
      if (item === undefined) continue;
      const { product } = stored(item, this.reportDamage);
      found.set(product.sku, product);
    }
    return found;
  }

  async list(limit: number, after?: string): Promise<ProductPage> {
    const page = await this.table.query(keys.catalogPartition, {
      prefix: keys.productPrefix,
      limit,
      ...(after === undefined ? {} : { startAfter: keys.product(after).SK }),
    });
    const products = page.items.map((item) => stored(item, this.reportDamage).product);
    const last = products.at(-1);
    return { products, next: page.lastKey === undefined ? undefined : last?.sku };
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
    const writes: TableWrite[] = [
      { delete: keys.product(sku), condition: attributeIs('version', current.version) },
      ...releaseKeys(current.product).map((release) => ({ delete: release })),
    ];
    if ((await this.table.transact(writes)) !== undefined) {
      throw new ConcurrentUpdateError(`product ${sku} changed while it was being removed`);
    }
    return current.product;
  }

  async releasedSince(category: string, sinceIso: string, limit: number): Promise<Product[]> {
    if (limit < 1) return [];
    // Newest first: with more releases than the limit, the latest are the ones worth showing.
    const { items } = await this.table.query(keys.categoryReleasePartition(category), {
      after: afterMoment(sinceIso),
      descending: true,
      limit,
    });
    return readEachRepairing(ProductAsStored, items, this.reportDamage);
  }

  async publish(sku: string, publishedAt: string, updatedAt: string): Promise<StoredProduct> {
    const current = await this.get(sku);
    if (current === undefined) throw new NotFoundError(`there is no product "${sku}"`);
    return this.write(canonical({ ...current.product, publishedAt, updatedAt }), current);
  }

  /** The product over the version read, with its category-release entries moved in the same transaction. */
  private async write(product: Product, current: StoredProduct | undefined): Promise<StoredProduct> {
    const version = (current?.version ?? 0) + 1;
    const before = current === undefined ? [] : releaseKeys(current.product);
    const after = releaseKeys(product);
    const writes: TableWrite[] = [
      {
        put: { ...keys.product(product.sku), type: 'product' satisfies ItemType, ...product, version },
        condition: current === undefined ? itemAbsent : attributeIs('version', current.version),
      },
      ...before.filter((key) => !after.some((kept) => sameKey(key, kept))).map((key) => ({ delete: key })),
      // A snapshot of the product, rewritten with every change, so a release read needs no second lookup.
      ...after.map((key) => ({ put: { ...key, type: 'category-release' satisfies ItemType, ...product } })),
    ];
    if ((await this.table.transact(writes)) !== undefined) {
      throw new ConcurrentUpdateError(
        `product ${product.sku} changed since version ${current?.version ?? 0}`,
      );
    }
    return { product, version };
  }
}
