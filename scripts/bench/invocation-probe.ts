import type { Context } from 'aws-lambda';
import { z } from 'zod';

/**
 * When a stream consumer of the local stack was handed each batch and when it
 * returned, for the latency benchmark: the handler modules in latency-probes/
 * wrap the real ones with `probed`, and the benchmark wires them in their place.
 * Nothing else uses it; the functions themselves are untouched.
 */

export interface ProbedInvocation {
  functionName: string;
  /** Milliseconds since the epoch (fractional): when the poller called the handler, and when it returned. */
  startedAt: number;
  endedAt: number;
  /** The table keys of the batch's stream records, in order. */
  keys: Array<{ PK: string; SK: string }>;
}

/** The epoch in milliseconds with the monotonic clock's resolution, so close instants keep their order. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

const invocations: ProbedInvocation[] = [];

/** Every probed invocation since the process started, oldest first. */
export const probedInvocations = (): readonly ProbedInvocation[] => invocations;

const KeyText = z.object({ S: z.string() });
const StreamBatch = z.object({
  Records: z.array(z.object({ dynamodb: z.object({ Keys: z.object({ PK: KeyText, SK: KeyText }) }) })),
});

/** The handler, noting each invocation's start, end and records. */
export const probed =
  <E, R>(functionName: string, handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    const startedAt = wallClockMs();
    try {
      return await handler(event, context);
    } finally {
      const batch = StreamBatch.safeParse(event);
      invocations.push({
        functionName,
        startedAt,
        endedAt: wallClockMs(),
        keys: batch.success
          ? batch.data.Records.map(({ dynamodb }) => ({ PK: dynamodb.Keys.PK.S, SK: dynamodb.Keys.SK.S }))
          : [],
      });
    }
  };
