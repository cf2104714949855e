import type { Product } from '../domain/product.js';

/** What ingestion needs from the catalog: the products an order names, to enrich its lines. */
export interface ProductLookup {
  /** The known products among `skus`, by sku; unknown skus are simply absent. */
  getMany(skus: readonly string[]): Promise<Map<string, Product>>;
}
