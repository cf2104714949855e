import type { Channel } from '../../domain/contact.js';
import type { ContactEvent } from '../../domain/contact-event.js';
import { type CounterIncrement, mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type DeferReason, Message, type SkipReason } from '../../domain/message.js';
import type { ClaimResult, Outbox } from '../../ports/outbox.js';
import { counterShardOf } from '../dynamodb/counter-items.js';
import { eventItem, messageItem } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { claimable, refusedClaim } from '../dynamodb/message-claims.js';
import { counterWrites } from './memory-counters.js';
import {
  attributeIs,
  itemAbsent,
  type MemoryTable,
  type TableWrite,
  type UpdateWrite,
} from './memory-table.js';

/** What the claim's condition reads of the item. */
const ClaimState = Message.pick({ status: true, claimExpiresAt: true });

/** The outbox on the memory table: the claim is the same compare-and-set as DynamoOutbox's conditional update. */
export class MemoryOutbox implements Outbox {
  constructor(private readonly table: MemoryTable) {}

  async get(contactId: string, key: string): Promise<Message | undefined> {
    const item = await this.table.get(keys.message(contactId, key));
    return item === undefined ? undefined : Message.parse(item);
  }

  async enqueue(message: Message): Promise<boolean> {
    return this.table.write({ put: messageItem(message), condition: itemAbsent }).written;
  }

  async claim(contactId: string, key: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    // A claim that loses to a release between the write and the re-read tries again; twice is plenty.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await this.tryClaim(contactId, key, now, leaseMs);
      if (result !== 'retry') return result;
    }
    throw new ConcurrentUpdateError(`message ${contactId}/${key} kept changing while being claimed`);
  }

  private async tryClaim(
    contactId: string,
    key: string,
    now: Date,
    leaseMs: number,
  ): Promise<ClaimResult | 'retry'> {
    const outcome = await this.table.write({
      update: keys.message(contactId, key),
      apply: (current) => ({
        ...current,
        status: 'sending',
        claimExpiresAt: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: (typeof current?.attempts === 'number' ? current.attempts : 0) + 1,
      }),
      condition: (current) => {
        const state = ClaimState.safeParse(current);
        return state.success && claimable(state.data, now);
      },
    });
    if (outcome.written) return { outcome: 'claimed', message: Message.parse(outcome.item) };
    return refusedClaim(outcome.current === undefined ? undefined : Message.parse(outcome.current), now);
  }

  async markSent(
    contactId: string,
    key: string,
    outcome: { providerMessageId: string; sentAt: Date },
    counters: readonly CounterIncrement[] = [],
  ): Promise<void> {
    await this.finishClaim(
      contactId,
      key,
      { status: 'sent', sentAt: outcome.sentAt.toISOString(), providerMessageId: outcome.providerMessageId },
      undefined,
      counters,
    );
  }

  async markSkipped(
    contactId: string,
    key: string,
    reason: SkipReason,
    event?: ContactEvent,
    counters: readonly CounterIncrement[] = [],
  ): Promise<void> {
    await this.finishClaim(contactId, key, { status: 'skipped', skipReason: reason }, event, counters);
  }

  async markFailed(
    contactId: string,
    key: string,
    error: string,
    counters: readonly CounterIncrement[] = [],
  ): Promise<void> {
    await this.finishClaim(contactId, key, { status: 'failed', error }, undefined, counters);
  }

  async markDeferred(
    contactId: string,
    key: string,
    deferral: { until: Date; reason: DeferReason },
    counters: readonly CounterIncrement[] = [],
  ): Promise<void> {
    await this.finishClaim(
      contactId,
      key,
      { status: 'deferred', deferredUntil: deferral.until.toISOString(), deferReason: deferral.reason },
      undefined,
      counters,
    );
  }

  async sentSince(contactId: string, channel: Channel, since: Date): Promise<Date[]> {
    const from = since.toISOString();
    const items = await this.table.queryAll(keys.message(contactId, '').PK, {
      prefix: keys.messagePrefix,
      filter: (item) =>
        item.status === 'sent' &&
        item.kind === 'marketing' &&
        item.channel === channel &&
        typeof item.sentAt === 'string' &&
        item.sentAt >= from,
    });
    return items.flatMap((item) => {
      const { sentAt } = Message.parse(item);
      return sentAt === undefined ? [] : [new Date(sentAt)];
    });
  }

  async release(contactId: string, key: string): Promise<void> {
    await this.finishClaim(contactId, key, { status: 'queued' });
  }

  /**
   * Moves a claimed message on and drops its lease, with its event and counters in
   * the same transaction. Throws ConcurrentUpdateError when the message is no longer
   * `sending`: the lease ran out and another delivery took it over, so this one must
   * not record an outcome.
   */
  private async finishClaim(
    contactId: string,
    key: string,
    changes: Partial<Record<keyof Message, string>>,
    event?: ContactEvent,
    counters: readonly CounterIncrement[] = [],
  ): Promise<void> {
    const update: UpdateWrite = {
      update: keys.message(contactId, key),
      apply: (current) => {
        const { claimExpiresAt: _lease, ...rest } = current ?? {};
        return { ...rest, ...changes };
      },
      condition: attributeIs('status', 'sending'),
    };
    const notClaimed = () =>
      new ConcurrentUpdateError(`message ${contactId}/${key} is not claimed (it is missing or moved on)`);
    const merged = mergeIncrements(counters);
    if (event !== undefined || merged.length > 0) {
      const writes: TableWrite[] = [
        update,
        ...(event === undefined ? [] : [{ put: eventItem(event), condition: itemAbsent }]),
        ...counterWrites(merged, counterShardOf(`${contactId}#${key}`)),
      ];
      const cancellation = this.table.transact(writes);
      // The event is written only with the status, so it cannot exist while the claim is still held.
      if (cancellation !== undefined) throw notClaimed();
      return;
    }
    const outcome = await this.table.write(update);
    if (!outcome.written) throw notClaimed();
  }
}
