import { z } from 'zod';

/**
 * Who may do what through the admin API, least first: a `viewer` reads
 * everything; a `marketer` also edits, publishes, migrates and sends; an
 * `admin` also manages API keys, the delivery policy, export and erasure.
 */
export const AdminRole = z.enum(['viewer', 'marketer', 'admin']);
export type AdminRole = z.infer<typeof AdminRole>;

const rank: Record<AdminRole, number> = { viewer: 0, marketer: 1, admin: 2 };

/** Whether a caller holding `held` may use a route that needs `needed`. */
export const roleCovers = (held: AdminRole, needed: AdminRole): boolean => rank[held] >= rank[needed];

/** The highest role among group names; names that are no role (other groups of the pool) are ignored. */
export const highestRole = (groups: readonly string[]): AdminRole | undefined =>
  groups
    .flatMap((group) => {
      const role = AdminRole.safeParse(group.trim().toLowerCase());
      return role.success ? [role.data] : [];
    })
    .reduce<AdminRole | undefined>(
      (best, role) => (best === undefined || rank[role] > rank[best] ? role : best),
      undefined,
    );

/** Who made an admin request: an id (never a name or an address) and the role it acted with. */
export const AdminCaller = z.object({
  /** The Cognito user's `sub`, the IAM principal's ARN, or a local token's stand-in. */
  id: z.string().min(1).max(2048),
  role: AdminRole,
});
export type AdminCaller = z.infer<typeof AdminCaller>;

/**
 * API Gateway (REST) hands a Cognito user pool's claims to the function as
 * strings: a list claim such as `cognito:groups` arrives as `a,b` or `[a b]`
 * depending on the path it took; an array is taken as it is.
 */
const GroupsClaim = z.union([z.array(z.string()), z.string()]).transform((value) =>
  Array.isArray(value)
    ? value
    : value
        .replace(/^\s*\[|\]\s*$/g, '')
        .split(/[\s,]+/)
        .filter((group) => group !== ''),
);

/**
 * The parts of an API Gateway REST request context the role is read from, and
 * nothing else: the Cognito user pool authorizer's claims, or the IAM
 * principal that signed the request.
 */
export const AdminRequestContext = z.object({
  authorizer: z
    .object({
      claims: z
        .object({
          sub: z.string().min(1).optional(),
          'cognito:groups': GroupsClaim.optional(),
        })
        .nullish(),
    })
    .nullish(),
  identity: z.object({ userArn: z.string().nullish() }).nullish(),
});
export type AdminRequestContext = z.infer<typeof AdminRequestContext>;

/**
 * The caller of an admin route, from the request context the gateway filled in:
 * a Cognito user has the highest role its `cognito:groups` claim lists (none of
 * them: no role); a caller that signed with IAM (the CLI, operators) is an
 * admin. Undefined when the context names no one with a role, so the route is refused.
 */
export const adminCallerOf = (requestContext: unknown): AdminCaller | undefined => {
  const parsed = AdminRequestContext.safeParse(requestContext);
  if (!parsed.success) return undefined;
  const claims = parsed.data.authorizer?.claims;
  if (claims !== undefined && claims !== null) {
    const role = highestRole(claims['cognito:groups'] ?? []);
    return role === undefined || claims.sub === undefined ? undefined : { id: claims.sub, role };
  }
  const userArn = parsed.data.identity?.userArn;
  return userArn === undefined || userArn === null || userArn === ''
    ? undefined
    : { id: userArn, role: 'admin' };
};

/** The caller's role is below the one the route needs (or the caller has none). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(
    readonly requiredRole: AdminRole,
    readonly heldRole: AdminRole | undefined,
  ) {
    super(
      heldRole === undefined
        ? `this route needs the ${requiredRole} role, and the caller has no role`
        : `this route needs the ${requiredRole} role; the caller is a ${heldRole}`,
    );
  }
}
