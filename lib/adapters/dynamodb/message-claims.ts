import type { Message } from '../../domain/message.js';
import type { ClaimResult } from '../../ports/outbox.js';

/** What the claim's condition says: queued, or sending under a lease that ran out before `now`. */
export const claimable = (message: Pick<Message, 'status' | 'claimExpiresAt'>, now: Date): boolean =>
  message.status === 'queued' ||
  (message.status === 'sending' &&
    message.claimExpiresAt !== undefined &&
    message.claimExpiresAt < now.toISOString());

/**
 * The answer to a claim whose condition failed, from the message as it was
 * then; `retry` when it changed in between (released, or its lease ran out).
 */
export const refusedClaim = (current: Message | undefined, now: Date): ClaimResult | 'retry' => {
  if (current === undefined) return { outcome: 'missing' };
  switch (current.status) {
    case 'sent':
    case 'skipped':
    case 'failed':
    case 'deferred':
      return { outcome: 'finished', message: current };
    case 'sending':
      return current.claimExpiresAt !== undefined && current.claimExpiresAt < now.toISOString()
        ? 'retry'
        : { outcome: 'in-flight', message: current };
    case 'queued':
      return 'retry';
  }
};
