import { randomBytes } from 'node:crypto';
import { apiKeyPrefix } from '../../domain/api-key.js';
import type { SecretGenerator } from '../../ports/api-key-store.js';

/** 256 bits from the OS, base64url, behind the recognizable prefix. */
export class RandomSecretGenerator implements SecretGenerator {
  secret(): string {
    return `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
  }
}
