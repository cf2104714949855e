import { vi } from 'vitest';

/**
 * The environment the HTTP handlers' composition root needs to load. Nothing is
 * reached at import: the table and keys are only named.
 */
export const stubHandlerEnv = (): void => {
  for (const [name, value] of Object.entries({
    TABLE_NAME: 'rapport-unit',
    AWS_REGION: 'us-east-1',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    SENDER_EMAIL: 'hello@example.com',
    POSTAL_ADDRESS: '1 Example Street, Example City',
    ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
    TOKEN_KEYS: JSON.stringify({ current: 'k1', k1: 'k'.repeat(32) }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  }))
    vi.stubEnv(name, value);
};
