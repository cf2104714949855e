import { z } from 'zod';
import type { AdminCaller } from '../domain/admin-role.js';
import { AuditCursor, type AuditEntry, type AuditPage, topLevelVersion } from '../domain/audit-entry.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { problemsOf, refuse } from './admin/problems.js';

export interface AdminAuditDeps {
  audit: AuditLog;
  clock: Clock;
  ids: IdGenerator;
}

/** A change the admin API answered with success, as the HTTP chain saw it. */
export interface AdminChange {
  caller: AdminCaller;
  method: AuditEntry['method'];
  /** The route's resource template. */
  route: string;
  pathParameters: Record<string, string>;
  status: number;
  /** The decoded request body: only its top-level `version` is read. */
  requestBody: unknown;
  /** The decoded answer: only its top-level `version` is read. */
  responseBody: unknown;
}

/**
 * Appends the change to the audit log. The versions are read from the bodies
 * and nothing else is: a body can hold an address or a name, and the log holds
 * no personal data beyond the actor's id.
 */
export const recordAdminChange = async (deps: AdminAuditDeps, change: AdminChange): Promise<AuditEntry> => {
  const versionBefore = topLevelVersion(change.requestBody);
  const versionAfter = topLevelVersion(change.responseBody);
  const entry: AuditEntry = {
    id: deps.ids.next(),
    at: deps.clock.now().toISOString(),
    actor: { id: change.caller.id, role: change.caller.role },
    method: change.method,
    route: change.route,
    target: { ...change.pathParameters },
    status: change.status,
    ...(versionBefore === undefined ? {} : { versionBefore }),
    ...(versionAfter === undefined ? {} : { versionAfter }),
  };
  await deps.audit.append(entry);
  return entry;
};

export const AuditListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: AuditCursor.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** A page of the audit log, newest first; `after` is the previous page's `next`. */
export const listAuditLog = async (
  deps: Pick<AdminAuditDeps, 'audit'>,
  query: unknown,
): Promise<AuditPage> => {
  const parsed = AuditListQuery.safeParse(query ?? {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the query is not valid');
  return deps.audit.list(parsed.data.limit, parsed.data.after);
};
