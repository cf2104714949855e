import { repoRoot } from '../../../infra/cloud/constructs/repo-root.js';
import { synthesizeIfStale } from '../../../infra/local/cloud-assembly.js';

/**
 * Global setup of the e2e-bundles project: one `cdk synth` before its files start
 * (none when cdk.out is newer than its sources), so no file's start waits for it.
 */
export default async (): Promise<void> => {
  await synthesizeIfStale(repoRoot, (line) => console.log(line));
};
