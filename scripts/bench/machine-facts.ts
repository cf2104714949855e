import { availableParallelism, cpus, loadavg } from 'node:os';

/**
 * Where and when a figure was measured: the machine, how busy it was (the
 * 1-minute load as the measurement began and as it ended) and the date. Every
 * benchmark section shows these rows, so a figure is never read without them.
 */

export interface MachineFacts {
  /** What `nproc` says: the CPUs this process may use. */
  cpus: number;
  cpuModel: string;
  node: string;
  loadBefore: number;
  loadAfter: number;
  /** When the measurement began, UTC. */
  startedAt: Date;
}

const oneMinuteLoad = (): number => loadavg()[0] ?? 0;

export interface MachineRecording {
  /** Notes the load at the end; later calls give the same facts. */
  finish(): MachineFacts;
}

/** Notes the machine, the load and the time now: call it as the measured part begins. */
export const recordMachine = (): MachineRecording => {
  const startedAt = new Date();
  const loadBefore = oneMinuteLoad();
  let facts: MachineFacts | undefined;
  return {
    finish: () => {
      facts ??= {
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
        node: process.version,
        loadBefore,
        loadAfter: oneMinuteLoad(),
        startedAt,
      };
      return facts;
    },
  };
};

/** Whether something else ran on the machine while it measured: a load above its CPUs. */
export const wasShared = (facts: MachineFacts): boolean =>
  Math.max(facts.loadBefore, facts.loadAfter) > facts.cpus;

/** The rows of a two-column `| | |` table: machine, 1-minute load before and after, date. */
export const machineRows = (facts: MachineFacts): string =>
  [
    `| machine | ${facts.cpus} CPUs (nproc), ${facts.cpuModel}, Node ${facts.node} |`,
    `| 1-minute load | ${facts.loadBefore.toFixed(2)} before, ${facts.loadAfter.toFixed(2)} after${wasShared(facts) ? ` (above ${facts.cpus}: other work shared the machine, so the times are for that moment only)` : ''} |`,
    `| date | ${facts.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC |`,
  ].join('\n');
