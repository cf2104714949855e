import { describe, expect, it } from 'vitest';
import type { Clock } from '../../lib/ports/clock.js';

/** Clock: the time as a Date of the caller's own. */
export const clockContract = (name: string, make: () => Clock) =>
  describe(name, () => {
    it('answers the time as a Date the caller may change without changing the clock', async () => {
      const clock = make();
      const first = clock.now();
      first.setUTCFullYear(1970);

      expect(clock.now().getUTCFullYear()).toBeGreaterThan(2000);
      await clock.sleep(0);
      expect(clock.now().getUTCFullYear()).toBeGreaterThan(2000);
    });
  });
