import type { AuditCursor, AuditEntry, AuditPage } from '../domain/audit-entry.js';

/** The record of every change made through the admin API. Append-only: nothing edits or removes an entry. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first, `limit` at most; `after` is a page's `next`, to go on to older entries. */
  list(limit: number, after?: AuditCursor): Promise<AuditPage>;
}
