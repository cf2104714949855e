import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiKeySummary } from './api-key-summary.js';

/** An ingestion API key as stored: never the key itself, only its SHA-256 and what identifies it to people. */
export const ApiKey = ApiKeySummary.extend({
  /** Hex SHA-256 of the key: a stolen table does not give working keys. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** Keys start with this, so they are easy to spot in logs and secret scanners. */
export const apiKeyPrefix = 'rk_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The key from an `Authorization: Bearer <key>` header, if the header has one of our shape. */
export const bearerKey = (authorization: string | undefined): string | undefined => {
  const match = /^Bearer\s+(rk_[A-Za-z0-9_-]{20,200})\s*$/i.exec(authorization ?? '');
  return match?.[1];
};
