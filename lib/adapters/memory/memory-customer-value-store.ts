import { RfmThresholds } from '../../domain/customer-value.js';
import type { CustomerValueStore } from '../../ports/customer-value-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

/** One item, `CONFIG` / `RFM_THRESHOLDS`, replaced by every refresh. */
export class MemoryCustomerValueStore implements CustomerValueStore {
  constructor(private readonly table: MemoryTable) {}

  async thresholds(): Promise<RfmThresholds | undefined> {
    const item = await this.table.get(keys.config('RFM_THRESHOLDS'));
    return item === undefined ? undefined : RfmThresholds.parse(item);
  }

  async saveThresholds(thresholds: RfmThresholds): Promise<void> {
    await this.table.write({
      put: {
        ...keys.config('RFM_THRESHOLDS'),
        type: 'config' satisfies ItemType,
        ...RfmThresholds.parse(thresholds),
      },
    });
  }
}
