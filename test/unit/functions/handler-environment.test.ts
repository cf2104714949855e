import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRuntimeEnv } from '../../../lib/config/runtime-env.js';

const settings = {
  TABLE_NAME: 'rapport-unit',
  AWS_REGION: 'us-east-1',
  PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  SENDER_EMAIL: 'hello@example.com',
  POSTAL_ADDRESS: '1 Example Street, Example City',
  ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
  TOKEN_KEYS: JSON.stringify({ current: 'k1', k1: 'k'.repeat(32) }),
};

// Each test loads the modules afresh: which environment they use is decided when they load.
beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});
afterEach(() => {
  vi.unstubAllEnvs();
});
// The unit files share a worker's modules: the next file must not inherit a runtime told to supply environments.
afterAll(() => {
  vi.resetModules();
});

describe('when a handler loads in Lambda', () => {
  it('stops at its cold start when the environment is bad, naming what is wrong', async () => {
    for (const [name, value] of Object.entries({ ...settings, TABLE_NAME: '' })) vi.stubEnv(name, value);

    await expect(import('../../../functions/stream/journeys.js')).rejects.toThrow(/TABLE_NAME/);
  });

  it('builds its dependencies once, from process.env', async () => {
    for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
    const { dependencies } = await import('../../../functions/dependencies.js');

    expect(dependencies().env.TABLE_NAME).toBe('rapport-unit');
    expect(dependencies()).toBe(dependencies());
  });
});

describe('when the local runtime supplies the environment with each invocation', () => {
  it('loads handlers without reading process.env, and gives each invocation its own environment', async () => {
    const environments = await import('../../../lib/config/invocation-environment.js');
    environments.supplyEnvironmentPerInvocation();
    await import('../../../functions/stream/journeys.js');
    const { dependencies } = await import('../../../functions/dependencies.js');
    const first = parseRuntimeEnv({ ...settings, TABLE_NAME: 'first' });
    const second = parseRuntimeEnv({ ...settings, TABLE_NAME: 'second' });

    const [a, b, again] = await Promise.all([
      environments.withInvocationEnvironment(first, async () => dependencies()),
      environments.withInvocationEnvironment(second, async () => dependencies()),
      environments.withInvocationEnvironment(first, async () => dependencies()),
    ]);

    expect(a.env.TABLE_NAME).toBe('first');
    expect(b.env.TABLE_NAME).toBe('second');
    expect(again).toBe(a);
  });

  it('refuses a handler called outside an invocation instead of reading process.env', async () => {
    for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
    const environments = await import('../../../lib/config/invocation-environment.js');
    environments.supplyEnvironmentPerInvocation();
    const { dependencies } = await import('../../../functions/dependencies.js');

    expect(() => dependencies()).toThrow(environments.NoInvocationEnvironmentError);
  });
});
