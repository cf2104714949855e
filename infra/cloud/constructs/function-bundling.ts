import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, in one place: RapportFunction hands it to
 * NodejsFunction, and whatever must bundle a function as the cloud does (the cold-start
 * benchmark, the bundle tests) hands esbuild the same through `esbuildOptionsFor`.
 */
export const functionBundling = {
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // CommonJS dependencies call require(), which an ES module lacks.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // The nodejs22.x runtime carries the AWS SDK v3. NodejsFunction leaves it out by default; said here, so esbuild is told too.
  externalModules: ['@aws-sdk/*'],
} as const satisfies nodejs.BundlingOptions;

/** How Lambda starts Node for every function: with the bundle's source map, so a stack trace names the source. */
export const lambdaNodeOptions = '--enable-source-maps';

/** The file NodejsFunction writes an ES module bundle to. */
export const bundleFileName = 'index.mjs';

/**
 * `functionBundling` as esbuild's own options: what NodejsFunction puts on esbuild's
 * command line for each setting (it always bundles, for the node platform).
 * test/infra/function-bundles.test.ts checks the result is the CDK's asset, byte for byte.
 */
export const esbuildOptionsFor = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: functionBundling.format === nodejs.OutputFormat.ESM ? 'esm' : 'cjs',
  target: functionBundling.target,
  minify: functionBundling.minify,
  sourcemap: functionBundling.sourceMap,
  mainFields: [...functionBundling.mainFields],
  banner: { js: functionBundling.banner },
  external: [...functionBundling.externalModules],
});
