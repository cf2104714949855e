import { type AuditEntry, auditCursorOf } from '../../domain/audit-entry.js';
import type { ItemType } from './items.js';

/**
 * The audit log is one partition, sorted by time: admin changes come at the
 * pace people work, far below what one partition takes, and one partition
 * reads newest first with one query, where a partition per day would walk
 * every empty day to fill a page.
 */
export const auditPartition = 'AUDIT';

/** `<at>#<id>`: time order, and two entries of one millisecond both kept. */
export const auditKey = (entry: Pick<AuditEntry, 'at' | 'id'>) => ({
  PK: auditPartition,
  SK: auditCursorOf(entry),
});

export const auditItem = (entry: AuditEntry) => ({
  ...auditKey(entry),
  type: 'audit-entry' satisfies ItemType,
  ...entry,
});
