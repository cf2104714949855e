import type { CoPurchaseStore } from '../../ports/co-purchase-store.js';
import { coPurchasePairs, maxPartners } from '../dynamodb/co-purchase-items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

/** Bought-together counts (`CO#<sku>` / other sku), added to as DynamoDB's ADD does. */
export class MemoryCoPurchaseStore implements CoPurchaseStore {
  constructor(private readonly table: MemoryTable) {}

  async addOrder(skus: readonly string[]): Promise<void> {
    for (const [sku, other] of coPurchasePairs(skus)) {
      await this.table.write({
        update: keys.coPurchase(sku, other),
        apply: (current) => ({
          ...current,
          count: (typeof current?.count === 'number' ? current.count : 0) + 1,
          type: 'co-purchase',
        }),
      });
    }
  }

  async forSkus(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const entries = await Promise.all(
      [...new Set(skus)].map(async (sku) => {
        const { items } = await this.table.query(keys.coPurchasePartition(sku), { limit: maxPartners });
        const partners = new Map<string, number>();
        for (const item of items) {
          if (typeof item.count === 'number') partners.set(item.SK, item.count);
        }
        return [sku, partners] as const;
      }),
    );
    return new Map(entries);
  }
}
