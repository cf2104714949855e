import { type AuditCursor, AuditEntry, type AuditPage, auditCursorOf } from '../../domain/audit-entry.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { auditItem, auditPartition } from '../dynamodb/audit-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** The audit log's partition, as DynamoAuditLog keeps it. */
export class MemoryAuditLog implements AuditLog {
  constructor(private readonly table: MemoryTable) {}

  async append(entry: AuditEntry): Promise<void> {
    const outcome = this.table.write({ put: auditItem(AuditEntry.parse(entry)), condition: itemAbsent });
    if (!outcome.written) throw new Error(`audit entry ${entry.id} exists already`);
  }

  async list(limit: number, after?: AuditCursor): Promise<AuditPage> {
    const page = this.table.query(auditPartition, {
      descending: true,
      limit,
      ...(after === undefined ? {} : { startAfter: after }),
    });
    const entries = page.items.map((item) => AuditEntry.parse(item));
    const last = entries.at(-1);
    return { entries, next: page.lastKey === undefined || last === undefined ? null : auditCursorOf(last) };
  }
}
