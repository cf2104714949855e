import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { httpFunctions } from '../../../infra/topology.js';
import { stubHandlerEnv } from './support/handler-env.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What every HTTP function module exports beside its handler: its routes, by route key. */
const HttpFunctionModule = z.object({ routes: z.record(z.string(), z.function()) });

const served = new Map<string, string[]>();

beforeAll(async () => {
  stubHandlerEnv();
  for (const spec of httpFunctions()) {
    const module = HttpFunctionModule.parse(await import(`${repoRoot}${spec.entry}`));
    served.set(spec.name, Object.keys(module.routes).sort());
  }
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the routes each HTTP function serves', () => {
  it.each(httpFunctions().map((spec) => [spec.name, spec.trigger.routes] as const))(
    'are exactly the topology’s routes for %s',
    (name, routes) => {
      expect(served.get(name)).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    },
  );
});
