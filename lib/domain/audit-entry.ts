import { z } from 'zod';
import { AdminCaller } from './admin-role.js';

/**
 * One change made through the admin API: who, when, what (the route as the
 * topology names it and the path parameters it was called with) and how it
 * ended. It never holds a request or response body, an address or a name:
 * the actor's id is the only thing in it about a person.
 */
/** Rapport itself, acting on its own: the reputation guard pausing marketing email. */
export const SystemActor = z.object({ id: z.string().min(1).max(200), role: z.literal('system') });
export type SystemActor = z.infer<typeof SystemActor>;

export const AuditEntry = z.object({
  /** A ULID. */
  id: z.string().min(1),
  at: z.iso.datetime(),
  actor: z.union([AdminCaller, SystemActor]),
  method: z.enum(['POST', 'PUT', 'DELETE']),
  /** The route's resource template, e.g. `/admin/journeys/{id}/publish`. */
  route: z.string().startsWith('/'),
  /** The route's path parameters, e.g. `{ id: 'welcome' }`: what was changed. */
  target: z.record(z.string(), z.string()),
  /** The HTTP status the change was answered with. */
  status: z.number().int().min(200).max(299),
  /** The version the request said it changed (its body's `version`, the guard of an optimistic write). */
  versionBefore: z.number().int().min(0).optional(),
  /** The version the answer carries (its body's `version`): what the change made. */
  versionAfter: z.number().int().min(0).optional(),
  /** Why Rapport acted on its own (the rate and threshold that paused marketing email); never a person's words. */
  cause: z.string().max(1000).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Where a page of the log ends: the `at` and `id` of its last entry, as `<at>#<id>`. */
export const AuditCursor = z.string().regex(/^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#[0-9A-Za-z-]+$/, 'is not a cursor');
export type AuditCursor = z.infer<typeof AuditCursor>;

export const auditCursorOf = (entry: Pick<AuditEntry, 'at' | 'id'>): AuditCursor => `${entry.at}#${entry.id}`;

/** A page of the log, newest first; `next` is where the following page starts, null after the oldest entry. */
export const AuditPage = z.object({ entries: z.array(AuditEntry), next: AuditCursor.nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

const VersionOf = z.object({ version: z.number().int().min(0) });

/**
 * The top-level `version` a JSON body carries, if any. Versions are counters
 * of the changed thing (a campaign, a product, a journey's published
 * version); nothing else of the body is read, so nothing else can reach the log.
 */
export const topLevelVersion = (body: unknown): number | undefined => {
  const parsed = VersionOf.safeParse(body);
  return parsed.success ? parsed.data.version : undefined;
};
