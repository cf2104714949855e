import type { Message, SkipReason } from '../domain/message.js';

export type ClaimResult =
  | { outcome: 'claimed'; message: Message }
  | { outcome: 'missing' }
  /** Already sent, skipped or failed: nothing to do. */
  | { outcome: 'finished'; message: Message }
  /** Another delivery holds an unexpired claim. */
  | { outcome: 'in-flight'; message: Message };

export interface Outbox {
  get(contactId: string, key: string): Promise<Message | undefined>;
  /** queued → sending, or takes over a `sending` claim whose lease ran out. Conditional write. */
  claim(contactId: string, key: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  markSent(
    contactId: string,
    key: string,
    outcome: { providerMessageId: string; sentAt: Date },
  ): Promise<void>;
  markSkipped(contactId: string, key: string, reason: SkipReason): Promise<void>;
  markFailed(contactId: string, key: string, error: string): Promise<void>;
  /** sending → queued, so a retry can claim it again. */
  release(contactId: string, key: string): Promise<void>;
}
