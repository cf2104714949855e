import { describe, expect, it } from 'vitest';
import type { IdGenerator } from '../../lib/ports/id-generator.js';

/** IdGenerator: ULIDs, unique, sorting in the order they were made. */
export const idGeneratorContract = (name: string, make: () => IdGenerator) =>
  describe(name, () => {
    it('makes ULIDs that never repeat and sort in the order they were made, within one millisecond too', () => {
      const ids = make();
      const made = Array.from({ length: 2_000 }, () => ids.next());

      for (const id of made) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(new Set(made).size).toBe(made.length);
      expect([...made].sort()).toEqual(made);
    });
  });
