import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The unit files share one module graph per worker: loading the use cases, the
          // memory adapters and the template engines once instead of once per file is most
          // of the tier's time. Nothing in the tier relies on a fresh module.
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The signup and replacement-reminder paths once more, with every function run from
          // the bundle `cdk synth` made (Decision 62): one synth, before the files start.
          name: 'e2e-bundles',
          include: ['test/e2e/signup-to-unsubscribe.test.ts', 'test/e2e/replacement-reminder.test.ts'],
          env: { RAPPORT_E2E_BUNDLES: '1' },
          globalSetup: ['test/e2e/support/synthesize-bundles.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
