import { type AudienceEvent, metricKey, statsScope } from '../domain/stats-keys.js';
import type { Clock } from '../ports/clock.js';
import type { StatsStore } from '../ports/stats-store.js';

export interface AudienceCounterDeps {
  stats: Pick<StatsStore, 'increment'>;
  clock: Clock;
}

/**
 * One more signup, confirmation or unsubscribe on today's `audience` counters.
 * Called after the change is stored, so a crash in between loses the count
 * rather than the change.
 */
export const countAudience = (deps: AudienceCounterDeps, event: AudienceEvent): Promise<void> =>
  deps.stats.increment(
    statsScope.audience,
    deps.clock.now().toISOString().slice(0, 10),
    metricKey({ kind: 'audience', event }),
  );
