import type { JobCursor } from '../../domain/journey-job.js';
import { Order } from '../../domain/order.js';
import type { OrderLog } from '../../ports/order-log.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from '../dynamodb/damaged-items.js';
import { listIndexKeys } from '../dynamodb/keys.js';
import { readListPage } from './memory-list-index.js';
import type { MemoryTable } from './memory-table.js';

const pageSize = 500;

/** Orders through the index's day lists (`ORDERS#<day>#<shard>`), each read by key, as DynamoOrderLog reads them. */
export class MemoryOrderLog implements OrderLog {
  constructor(
    private readonly table: MemoryTable,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async placedOn(day: string): Promise<Order[]> {
    const orders: Order[] = [];
    let cursor: JobCursor | undefined = { shard: 0 };
    while (cursor !== undefined) {
      const page = await readListPage(
        this.table,
        (shard) => listIndexKeys.orderDayPartition(day, shard),
        cursor,
        pageSize,
      );
      orders.push(...readEachSkipping(Order, page.items, this.reportDamage));
      cursor = page.next;
    }
    return orders;
  }
}
