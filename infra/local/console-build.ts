import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What the console is built from: its own sources, the domain code it imports, and the locked dependencies. */
const sources = (root: string): string[] => [
  join(root, 'console', 'src'),
  join(root, 'console', 'index.html'),
  join(root, 'console', 'vite.config.ts'),
  join(root, 'lib', 'domain'),
  join(root, 'package-lock.json'),
];

const newestChange = async (path: string): Promise<number> => {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
};

/** Whether console/dist is missing or older than anything it is built from. */
export const consoleBuildIsStale = async (root: string): Promise<boolean> => {
  const built = await stat(join(root, 'console', 'dist', 'index.html')).catch(() => undefined);
  if (built === undefined) return true;
  const newest = Math.max(...(await Promise.all(sources(root).map(newestChange))));
  return newest > built.mtimeMs;
};

/** Builds the console with Vite when its build is missing or stale; a fresh build is left alone. */
export const buildConsoleIfStale = async (root: string, log: (line: string) => void): Promise<boolean> => {
  if (!(await consoleBuildIsStale(root))) return false;
  log('Building the console (console/dist)…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'console', 'vite.config.ts'), logLevel: 'warn' });
  return true;
};
