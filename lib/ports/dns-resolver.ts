/**
 * The lookups the deliverability check makes, as node:dns's `promises.Resolver` has
 * them: one is passed as it is. A lookup rejects with an error whose `code` says why
 * (`ENOTFOUND`, `ENODATA`, `ECONNREFUSED`, `ETIMEOUT`…).
 */
export interface DnsResolver {
  resolveCname(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  /** Each record as the strings it is stored in. */
  resolveTxt(name: string): Promise<string[][]>;
}
