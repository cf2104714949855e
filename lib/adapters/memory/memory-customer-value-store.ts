import type { z } from 'zod';
import { RfmThresholds } from '../../domain/customer-value.js';
import { LearnedCycles } from '../../domain/replacement-cycles.js';
import type { CustomerValueStore } from '../../ports/customer-value-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

/** Two items, `CONFIG` / `RFM_THRESHOLDS` and `CONFIG` / `LEARNED_CYCLES`, each replaced by every refresh. */
export class MemoryCustomerValueStore implements CustomerValueStore {
  constructor(private readonly table: MemoryTable) {}

  private async read<T extends z.ZodType>(name: string, schema: T): Promise<z.infer<T> | undefined> {
    const item = await this.table.get(keys.config(name));
    return item === undefined ? undefined : schema.parse(item);
  }

  private async write(name: string, value: object): Promise<void> {
    await this.table.write({ put: { ...keys.config(name), type: 'config' satisfies ItemType, ...value } });
  }

  thresholds(): Promise<RfmThresholds | undefined> {
    return this.read('RFM_THRESHOLDS', RfmThresholds);
  }

  saveThresholds(thresholds: RfmThresholds): Promise<void> {
    return this.write('RFM_THRESHOLDS', RfmThresholds.parse(thresholds));
  }

  cycles(): Promise<LearnedCycles | undefined> {
    return this.read('LEARNED_CYCLES', LearnedCycles);
  }

  saveCycles(cycles: LearnedCycles): Promise<void> {
    return this.write('LEARNED_CYCLES', LearnedCycles.parse(cycles));
  }
}
