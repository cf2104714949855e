import { apiKeyPrefix } from '../../domain/api-key.js';
import type { SecretGenerator } from '../../ports/api-key-store.js';
import { seededRandom } from './seeded-id-generator.js';

/** API keys of the real shape (prefix, 32 bytes as base64url) from a seed: repeatable, and no use outside a simulation. */
export class SeededSecretGenerator implements SecretGenerator {
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  secret(): string {
    const bytes = Buffer.from(Array.from({ length: 32 }, () => Math.floor(this.random() * 256)));
    return `${apiKeyPrefix}${bytes.toString('base64url')}`;
  }
}
