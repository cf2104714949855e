import { describe, expect, it } from 'vitest';
import { apiKeyPrefix } from '../../lib/domain/api-key.js';
import type { SecretGenerator } from '../../lib/ports/api-key-store.js';

/** SecretGenerator: API keys behind the recognizable prefix, 256 bits as base64url, never the same twice. */
export const secretGeneratorContract = (name: string, make: () => SecretGenerator) =>
  describe(name, () => {
    it('makes keys of the one shape, each different', () => {
      const secrets = make();
      const made = Array.from({ length: 50 }, () => secrets.secret());

      for (const secret of made) expect(secret).toMatch(new RegExp(`^${apiKeyPrefix}[A-Za-z0-9_-]{43}$`));
      expect(new Set(made).size).toBe(made.length);
    });
  });
