import type { Clock } from '../ports/clock.js';

/**
 * The one cache for settings that change rarely (the delivery policy, the RFM
 * cuts, the link-signing keys): read at most every `maxAgeMs` on a warm instance,
 * by the instance's clock. Calls while a read is in flight share it. A failed read
 * is not kept, so the next call reads again at once.
 */
export const readAtMostEvery = <T>(
  maxAgeMs: number,
  load: () => Promise<T>,
  clock: Pick<Clock, 'now'>,
): (() => Promise<T>) => {
  let cache: { readAt: number; value: Promise<T> } | undefined;
  return () => {
    const now = clock.now().getTime();
    if (cache === undefined || now - cache.readAt >= maxAgeMs) {
      const value = load();
      const entry = { readAt: now, value };
      cache = entry;
      value.catch(() => {
        // Only this read's entry goes: a newer one may have replaced it meanwhile.
        if (cache === entry) cache = undefined;
      });
    }
    return cache.value;
  };
};
