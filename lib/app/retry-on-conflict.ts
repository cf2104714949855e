import { ConcurrentUpdateError } from '../domain/errors.js';

/**
 * Re-runs a read-modify-write when another writer got there first. Each attempt
 * must re-read what it changes; a few attempts settle any realistic contention.
 */
export const retryOnConflict = async <T>(attempt: () => Promise<T>, attempts = 4): Promise<T> => {
  for (let remaining = attempts; ; remaining -= 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || remaining <= 1) throw error;
    }
  }
};
