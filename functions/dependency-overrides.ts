import type { RuntimeEnv } from '../lib/config/runtime-env.js';
import type { DependencyOverrides } from './composition-root.js';

const overrides = new WeakMap<RuntimeEnv, DependencyOverrides>();

/**
 * What the local runtime's handlers get in place of the real thing for one
 * environment: a test's clock, so a stack can be run on virtual time. Set before
 * the environment's first invocation; Lambda never sets any.
 */
export const overrideDependencies = (env: RuntimeEnv, replacements: DependencyOverrides): void => {
  overrides.set(env, replacements);
};

export const dependencyOverridesOf = (env: RuntimeEnv): DependencyOverrides => overrides.get(env) ?? {};
