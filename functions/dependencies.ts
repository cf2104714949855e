import {
  environmentSuppliedPerInvocation,
  invocationEnvironment,
} from '../lib/config/invocation-environment.js';
import type { RuntimeEnv } from '../lib/config/runtime-env.js';
import { createDependencies, type Dependencies } from './composition-root.js';
import { dependencyOverridesOf } from './dependency-overrides.js';

/**
 * How a handler gets its dependencies: built once per environment and kept for the
 * life of the process. In Lambda that is one environment, process.env; under the
 * local runtime each invocation brings its stack's (lib/config/invocation-environment.ts),
 * so two stacks in one process each get their own clients and caches.
 */
const built = new WeakMap<RuntimeEnv, Dependencies>();

/** The dependencies of the invocation in progress. */
export const dependencies = (): Dependencies => {
  const env = invocationEnvironment();
  let found = built.get(env);
  if (found === undefined) {
    found = createDependencies(env, dependencyOverridesOf(env));
    built.set(env, found);
  }
  return found;
};

/**
 * Something a handler derives from its dependencies (its use case's deps, a page
 * rendered once), built once per environment like the dependencies themselves.
 */
export const perEnvironment = <T>(derive: (deps: Dependencies) => T): (() => T) => {
  const derived = new WeakMap<Dependencies, { value: T }>();
  return () => {
    const deps = dependencies();
    let found = derived.get(deps);
    if (found === undefined) {
      found = { value: derive(deps) };
      derived.set(deps, found);
    }
    return found.value;
  };
};

// The cold start. Every handler imports this module, so in Lambda a bad environment
// stops the function here, at init, before its first event; and the clients are built
// while init has the CPU to spare. The local runtime checks its environment when the
// stack starts instead, and builds on the first invocation.
if (!environmentSuppliedPerInvocation()) dependencies();
