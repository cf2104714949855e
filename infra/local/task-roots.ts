import { copyFile, link, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the local runtime unpacks bundles, as Lambda unpacks a function's code into
 * /var/task: a folder of its own, outside the repository, so a bundle finds nothing
 * the repository has (its node_modules, its content) and a dependency esbuild left
 * out, or a file one loads at run time, fails here as it would in AWS. The one
 * package folder beside them is the AWS SDK, which the nodejs runtime carries and
 * the bundles leave out (infra/cloud/constructs/function-bundling.ts).
 */
export interface TaskRoots {
  /** Puts a copy of a bundle's folder under `name` and resolves with its path. */
  stage(name: string, bundleDir: string): Promise<string>;
  /** Removes every staged folder. */
  remove(): Promise<void>;
}

const isErrorWithCode = (error: unknown, codes: readonly string[]): boolean =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && codes.includes(error.code);

/** Hard links where the file system allows (bundles and their source maps run to tens of MB), else copies. */
const linkTree = async (from: string, to: string): Promise<void> => {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      await linkTree(source, target);
      continue;
    }
    try {
      await link(source, target);
    } catch (error) {
      if (!isErrorWithCode(error, ['EXDEV', 'EPERM', 'EMLINK'])) throw error;
      await copyFile(source, target);
    }
  }
};

/** `sdkFolder` is the folder of the `@aws-sdk` packages to offer, e.g. the repository's node_modules/@aws-sdk. */
export const createTaskRoots = async (sdkFolder: string): Promise<TaskRoots> => {
  const root = await mkdtemp(join(tmpdir(), 'rapport-task-roots-'));
  await mkdir(join(root, 'node_modules'));
  await symlink(sdkFolder, join(root, 'node_modules', '@aws-sdk'), 'dir');
  return {
    stage: async (name, bundleDir) => {
      const target = join(root, name);
      await linkTree(bundleDir, target);
      return target;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
};
