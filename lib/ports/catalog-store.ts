import type { ProductPage } from '../domain/catalog-answers.js';
import type { Product } from '../domain/product.js';

export type { ProductPage } from '../domain/catalog-answers.js';

/** A product with the version its next write must name. */
export interface StoredProduct {
  product: Product;
  /** Optimistic-concurrency counter: a write over an older version is refused. */
  version: number;
}

/**
 * The product catalog. A published product also has a category-release entry
 * (category, publishedAt) for each level of its category path, written in the
 * same transaction as the product, so "new in this category since …" is one
 * range read.
 */
export interface CatalogStore {
  get(sku: string): Promise<StoredProduct | undefined>;
  /** The products behind the skus (for enriching orders), read consistently; unknown skus are left out. */
  getMany(skus: readonly string[]): Promise<Map<string, Product>>;
  /** In sku order, from just after `after`. */
  list(limit: number, after?: string): Promise<ProductPage>;
  /**
   * Creates the product (`expectedVersion` undefined: none may exist yet) or
   * replaces the one read at `expectedVersion`, moving its category-release
   * entries with it; ConcurrentUpdateError if the stored product is not the one read.
   */
  put(product: Product, expectedVersion: number | undefined): Promise<StoredProduct>;
  /** Removes the product and its category-release entries; the removed product, or undefined if there was none. */
  remove(sku: string): Promise<Product | undefined>;
  /**
   * Products of the category, or of a category below it (`books` finds `books/crime`; `books/crime`
   * finds no cookbook), published strictly after `sinceIso`, newest first, at most `limit`.
   */
  releasedSince(category: string, sinceIso: string, limit: number): Promise<Product[]>;
  /**
   * Sets `publishedAt` (and `updatedAt`) and writes the category-release entries
   * in one transaction. NotFoundError if there is no such product;
   * ConcurrentUpdateError if it changed while this ran.
   */
  publish(sku: string, publishedAt: string, updatedAt: string): Promise<StoredProduct>;
}
