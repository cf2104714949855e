import type { Channel } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { CounterIncrement } from '../domain/counter-increment.js';
import type { DeferReason, Message, SkipReason } from '../domain/message.js';

export type ClaimResult =
  | { outcome: 'claimed'; message: Message }
  | { outcome: 'missing' }
  /** Already sent, skipped, failed or deferred: nothing to do. */
  | { outcome: 'finished'; message: Message }
  /** Another delivery holds an unexpired claim. */
  | { outcome: 'in-flight'; message: Message };

export interface Outbox {
  get(contactId: string, key: string): Promise<Message | undefined>;
  /**
   * Writes a queued message unless the contact has one with its key: true when
   * written now. A message key is one per cause (a campaign's is one per
   * campaign and contact), so a write done again sends nothing twice.
   */
  enqueue(message: Message): Promise<boolean>;
  /** queued → sending, or takes over a `sending` claim whose lease ran out. Conditional write. */
  claim(contactId: string, key: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * The mark* calls move a claimed message on (ConcurrentUpdateError when it is no
   * longer claimed). `counters` are added in the same write as the status: only the
   * call that moved the message counts, and nothing can come between the two.
   */
  markSent(
    contactId: string,
    key: string,
    outcome: { providerMessageId: string; sentAt: Date },
    counters?: readonly CounterIncrement[],
  ): Promise<void>;
  /** With an event (a journey message's `message_skipped`), both are written at once, the event at most once. */
  markSkipped(
    contactId: string,
    key: string,
    reason: SkipReason,
    event?: ContactEvent,
    counters?: readonly CounterIncrement[],
  ): Promise<void>;
  markFailed(
    contactId: string,
    key: string,
    error: string,
    counters?: readonly CounterIncrement[],
  ): Promise<void>;
  /** sending → deferred: the delivery policy held it back; its copy is queued later (see MessageTimer). */
  markDeferred(
    contactId: string,
    key: string,
    deferral: { until: Date; reason: DeferReason },
    counters?: readonly CounterIncrement[],
  ): Promise<void>;
  /**
   * The send times of this contact's marketing messages on the channel sent at or
   * after `since`, from every journey: what frequency caps count.
   */
  sentSince(contactId: string, channel: Channel, since: Date): Promise<Date[]>;
  /** sending → queued, so a retry can claim it again. */
  release(contactId: string, key: string): Promise<void>;
}
