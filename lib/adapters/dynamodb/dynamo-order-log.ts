import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobCursor } from '../../domain/journey-job.js';
import { Order } from '../../domain/order.js';
import type { OrderLog } from '../../ports/order-log.js';
import { type DamageReporter, readEachSkipping, reportOnStderr } from './damaged-items.js';
import { listIndexKeys } from './keys.js';
import { readListPage } from './list-index.js';

/** Keys per index query; each page's orders are then read in batches of 100. */
const pageSize = 500;

/**
 * Orders through the index's day lists (`ORDERS#<day>#<shard>`, written with
 * the order in the ingestion transaction): every shard of the day, page by
 * page, each page's orders read by key, so a refund recorded since is in them.
 */
export class DynamoOrderLog implements OrderLog {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reportDamage: DamageReporter = reportOnStderr,
  ) {}

  async placedOn(day: string): Promise<Order[]> {
    const orders: Order[] = [];
    let cursor: JobCursor | undefined = { shard: 0 };
    while (cursor !== undefined) {
      const page = await readListPage(
        this.documentClient,
        this.tableName,
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
