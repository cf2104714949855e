import { MemoryDeadLetterStore } from '../../lib/adapters/memory/memory-dead-letter-store.js';
import { MemoryTable } from '../../lib/adapters/memory/memory-table.js';
import { SystemClock } from '../../lib/adapters/system/system-clock.js';
import { UlidIdGenerator } from '../../lib/adapters/system/ulid-id-generator.js';
import { recordDeadLetter } from '../../lib/app/dead-letters.js';
import type { DeadLetter, RedriveShape } from '../../lib/domain/dead-letter.js';
import { describeError } from '../../lib/domain/error-text.js';
import type { Clock } from '../../lib/ports/clock.js';
import type { DeadLetterStore } from '../../lib/ports/dead-letter-store.js';

export type { DeadLetter } from '../../lib/domain/dead-letter.js';

/**
 * Where the local runtime puts what Lambda would send to an on-failure destination:
 * stream records past their retries or age, and events whose asynchronous handler
 * kept failing. They go into the dead letters the stream chain writes too (the
 * stack's table, so they outlive a restart with --persist), listed at
 * GET /local/dead-letters and GET /admin/dead-letters, and printed as they come.
 */
export interface DeadLetterSink {
  /** Keeps it; `list` and `idle` wait for the write. */
  add(entry: { functionName: string; redriveAs: RedriveShape; record: unknown; reason: string }): void;
  /** Every dead letter kept, oldest first, whoever wrote it. */
  list(): Promise<DeadLetter[]>;
  /** Resolves once every entry added has been written. */
  idle(): Promise<void>;
}

export interface DeadLetterSinkOptions {
  /** Default: in this process's memory. */
  store?: DeadLetterStore;
  clock?: Clock;
  print?: (line: string) => void;
}

export const createDeadLetterSink = (options: DeadLetterSinkOptions = {}): DeadLetterSink => {
  const deps = {
    deadLetters: options.store ?? new MemoryDeadLetterStore(new MemoryTable()),
    clock: options.clock ?? new SystemClock(),
    ids: new UlidIdGenerator(),
  };
  const print = options.print ?? ((line: string) => console.error(line));
  const writing = new Set<Promise<void>>();
  const idle = async (): Promise<void> => {
    while (writing.size > 0) await Promise.allSettled([...writing]);
  };
  return {
    add: (entry) => {
      print(`[dead letter] ${entry.functionName}: ${entry.reason}\n${JSON.stringify(entry.record)}`);
      const write = recordDeadLetter(deps, entry)
        .then(() => undefined)
        .catch((error: unknown) =>
          print(`[dead letter] could not be kept, only printed above: ${describeError(error)}`),
        )
        .finally(() => writing.delete(write));
      writing.add(write);
    },
    list: async () => {
      await idle();
      const letters: DeadLetter[] = [];
      let after: string | undefined;
      do {
        const page = await deps.deadLetters.list(100, after);
        letters.push(...page.deadLetters);
        after = page.next ?? undefined;
      } while (after !== undefined);
      return letters;
    },
    idle,
  };
};
