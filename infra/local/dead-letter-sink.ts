/**
 * Where the local runtime puts what Lambda would send to an on-failure destination:
 * stream records past their retries or age, and topic messages whose handler kept
 * failing. Kept in memory, listable over /local/dead-letters, printed as they come.
 */

export interface DeadLetter {
  functionName: string;
  /** The record or message that failed, in the shape the handler received it. */
  record: unknown;
  /** Why it was given up on: the last error, or the limit it hit. */
  error: string;
  /** ISO 8601 time it was dead-lettered. */
  at: string;
}

export interface DeadLetterSink {
  add(entry: { functionName: string; record: unknown; error: string }): void;
  list(): DeadLetter[];
}

export const createDeadLetterSink = (
  options: { print?: (line: string) => void; now?: () => Date } = {},
): DeadLetterSink => {
  const entries: DeadLetter[] = [];
  const print = options.print ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => new Date());
  return {
    add: ({ functionName, record, error }) => {
      const entry: DeadLetter = { functionName, record, error, at: now().toISOString() };
      entries.push(entry);
      print(`[dead letter] ${functionName}: ${error}\n${JSON.stringify(record)}`);
    },
    list: () => entries.map((entry) => ({ ...entry })),
  };
};
