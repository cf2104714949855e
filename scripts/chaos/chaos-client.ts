/**
 * How the chaos run's callers behave: as a well-made client of a service that
 * can vanish mid-request. A call that gets no answer (refused connection, reset,
 * timeout), a 5xx or a 429/503 is sent again, unchanged, after the `Retry-After`
 * it was given or a short backoff, until it is answered. Ingestion calls carry
 * their `messageId`, so a resend after a lost answer is a duplicate the API
 * recognises; that is the contract a caller relies on, and what the run checks.
 */

export type CallKind = 'signup' | 'confirm' | 'identify' | 'order' | 'refund' | 'unsubscribe';

export interface LedgerEntry {
  kind: CallKind;
  contact: number;
  /** The order id for orders and refunds. */
  subject?: string;
  /** Sent this many times before an answer. */
  attempts: number;
  status: number;
  /** When the accepting answer arrived (epoch ms). */
  answeredAt: number;
  /** Milliseconds from the accepted attempt's start to its answer. */
  latencyMs: number;
}

export interface CallOutcome {
  status: number;
  text: string;
  headers: Headers;
}

export class CallRefusedError extends Error {
  override readonly name = 'CallRefusedError';
}

export class CallGaveUpError extends Error {
  override readonly name = 'CallGaveUpError';
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

const retryAfterMs = (headers: Headers, attempt: number): number => {
  const seconds = Number(headers.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds, 10) * 1000;
  return Math.min(250 * 2 ** attempt, 2_000);
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChaosClient {
  /** Sends until answered (2xx), and records the call; a 4xx other than 429 throws CallRefusedError. */
  call(
    entry: { kind: CallKind; contact: number; subject?: string },
    url: string,
    init: RequestInit,
    /** A 2xx that still refused the call (a batch answers 200 with a verdict per call): the reason. */
    refusalIn?: (outcome: CallOutcome) => string | undefined,
  ): Promise<CallOutcome>;
  ledger(): readonly LedgerEntry[];
  /** Sends that got no answer or a retryable one, and were sent again. */
  resends(): number;
}

export const chaosClient = (options: { giveUpAfterMs: number }): ChaosClient => {
  const entries: LedgerEntry[] = [];
  let resends = 0;
  return {
    call: async (entry, url, init, refusalIn) => {
      const deadline = Date.now() + options.giveUpAfterMs;
      for (let attempt = 1; ; attempt += 1) {
        const started = Date.now();
        let outcome: CallOutcome | undefined;
        try {
          const response = await fetch(url, {
            ...init,
            redirect: 'manual',
            signal: AbortSignal.timeout(30_000),
          });
          outcome = { status: response.status, text: await response.text(), headers: response.headers };
        } catch {
          outcome = undefined;
        }
        if (outcome !== undefined && !retryable(outcome.status)) {
          if (outcome.status >= 400)
            throw new CallRefusedError(
              `${entry.kind} for contact ${entry.contact} was refused with ${outcome.status}: ${outcome.text.slice(0, 300)}`,
            );
          const refusal = refusalIn?.(outcome);
          if (refusal !== undefined)
            throw new CallRefusedError(`${entry.kind} for contact ${entry.contact} was refused: ${refusal}`);
          entries.push({
            ...entry,
            attempts: attempt,
            status: outcome.status,
            answeredAt: Date.now(),
            latencyMs: Date.now() - started,
          });
          return outcome;
        }
        if (Date.now() > deadline)
          throw new CallGaveUpError(
            `${entry.kind} for contact ${entry.contact} got no answer in ${options.giveUpAfterMs / 1000} s (${attempt} attempts)`,
          );
        resends += 1;
        await pause(
          outcome === undefined
            ? Math.min(250 * 2 ** attempt, 2_000)
            : retryAfterMs(outcome.headers, attempt),
        );
      }
    },
    ledger: () => entries,
    resends: () => resends,
  };
};

/**
 * A GET of a status route (the runtime's, the SES emulator's store), tried again on a network error: an
 * idle keep-alive socket the server has closed fails the first write (EPIPE), and
 * a run that took an hour must not end on that.
 */
export const getJson = async (url: string): Promise<unknown> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return await response.json();
    } catch (error) {
      if (attempt >= 3 || !(error instanceof TypeError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
};
