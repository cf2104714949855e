import type { CounterIncrement, CountMark } from '../domain/counter-increment.js';

export interface StatsStore {
  /**
   * Adds to a daily counter, e.g. scope `email`, day `2026-11-23`, metric `delivery`.
   * Not idempotent: for counters no other write can carry (see docs/architecture.md, Counters).
   */
  increment(scope: string, day: string, metric: string, by?: number): Promise<void>;
  /**
   * Adds the increments once per source: in one transaction with the source's mark,
   * written only where absent, so a source delivered again (and one delivered twice
   * at once) counts nothing more: `duplicate`. At most 99 counters.
   */
  countOnce(mark: CountMark, increments: readonly CounterIncrement[]): Promise<'counted' | 'duplicate'>;
  /** One day's counters of a scope, every shard of each added up. */
  read(scope: string, day: string): Promise<Record<string, number>>;
}
