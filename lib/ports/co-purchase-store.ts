/** "Bought together" counts: for each product, how many orders also had each other product. */
export interface CoPurchaseStore {
  /** Counts one order's distinct skus, every pair both ways. Not idempotent: call once per stored order. */
  addOrder(skus: readonly string[]): Promise<void>;
  /** For each of `skus`: other sku → orders with both. */
  forSkus(skus: readonly string[]): Promise<Map<string, Map<string, number>>>;
}
