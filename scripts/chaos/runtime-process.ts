import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/local-stack.js';

/**
 * `npm start -- --persist` as its own process group, so the chaos run can SIGKILL
 * all of it at once (tsx and the Node process it runs) the way a Lambda runtime
 * dies, and start it again on the same ports. The database and the SES emulator
 * are not in it: they belong to the run and outlive every kill.
 */

/** The first start may build the console (about a minute on two cores); later ones take seconds. */
const startTimeoutMs = 240_000;

export class RuntimeStartError extends Error {
  override readonly name = 'RuntimeStartError';
}

export interface RuntimeProcess {
  start(): Promise<void>;
  /** SIGKILL to the whole group: no handler, no cleanup, no flush. */
  kill(): Promise<void>;
  /** SIGTERM, as Ctrl+C would; waits for the exit. */
  stop(): Promise<void>;
  /** Resident memory of every process in the group, in bytes (0 when it is not running). */
  residentBytes(): Promise<number>;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

const residentOf = async (pid: number): Promise<number> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
};

/** The group's members, read from /proc (Linux): a process whose fifth stat field is the group id. */
const groupMembers = async (groupId: number): Promise<number[]> => {
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(afterName[2]) === groupId) members.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return members;
};

export const runtimeProcess = (options: {
  apiUrl: string;
  env: Record<string, string>;
  /** The runtime's output, appended across restarts, for reading after a failed run. */
  logFile: string;
}): RuntimeProcess => {
  let child: ChildProcess | undefined;
  let log: WriteStream | undefined;
  const healthy = async (): Promise<boolean> => {
    try {
      return (await fetch(`${options.apiUrl}/health`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  };
  const untilHealthy = async (started: ChildProcess): Promise<void> => {
    const deadline = Date.now() + startTimeoutMs;
    while (!(await healthy())) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new RuntimeStartError(`the runtime exited while starting; its output is in ${options.logFile}`);
      if (Date.now() > deadline)
        throw new RuntimeStartError(
          `the runtime did not answer /health within ${startTimeoutMs / 1000} s; its output is in ${options.logFile}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const signalGroup = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running?.pid === undefined) return;
    try {
      process.kill(-running.pid, signal);
    } catch {
      // Already gone.
    }
    await exited(running);
    child = undefined;
  };
  return {
    start: async () => {
      log ??= createWriteStream(options.logFile, { flags: 'a' });
      log.write(`\n--- start ${new Date().toISOString()}\n`);
      const started = spawn(
        join(repoRoot, 'node_modules', '.bin', 'tsx'),
        ['infra/local/main.ts', '--persist', '--quiet'],
        {
          cwd: repoRoot,
          env: { ...process.env, ...options.env },
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = started;
      started.stdout?.pipe(log, { end: false });
      started.stderr?.pipe(log, { end: false });
      await untilHealthy(started);
    },
    kill: () => signalGroup('SIGKILL'),
    stop: async () => {
      await signalGroup('SIGTERM');
      log?.end();
      log = undefined;
    },
    residentBytes: async () => {
      const running = child;
      if (running?.pid === undefined) return 0;
      let total = 0;
      for (const pid of await groupMembers(running.pid)) total += await residentOf(pid);
      return total;
    },
  };
};
