import { SoftBounce, type SoftBounceLog } from '../../ports/soft-bounce-log.js';
import { keys } from '../dynamodb/keys.js';
import { inRecordedOrder, softBounceItem, softBouncePartition } from '../dynamodb/soft-bounce-items.js';
import { isoTime } from '../dynamodb/suppression-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** Soft bounces under the address's hash (`B#<mail id>`), as DynamoSoftBounceLog keeps them. */
export class MemorySoftBounceLog implements SoftBounceLog {
  constructor(private readonly table: MemoryTable) {}

  async record(address: string, bounce: SoftBounce, expiresAt: number): Promise<boolean> {
    // SNS delivers at least once: the same mail's bounce is on record already.
    const outcome = this.table.write({
      put: softBounceItem(address, { ...bounce, at: isoTime(bounce.at) }, expiresAt),
      condition: itemAbsent,
    });
    return outcome.written;
  }

  async since(address: string, sinceIso: string): Promise<SoftBounce[]> {
    const since = isoTime(sinceIso);
    return this.table
      .queryAll(softBouncePartition(address), {
        prefix: keys.softBouncePrefix,
        filter: (item) => typeof item.at === 'string' && item.at >= since,
      })
      .map((item) => SoftBounce.parse(item))
      .sort(inRecordedOrder);
  }
}
