import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Channel } from '../../domain/contact.js';
import type { ContactEvent } from '../../domain/contact-event.js';
import { type CounterIncrement, mergeIncrements } from '../../domain/counter-increment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type DeferReason, Message, type SkipReason } from '../../domain/message.js';
import type { ClaimResult, Outbox } from '../../ports/outbox.js';
import { addToCounters } from './add-to-counters.js';
import { counterShardOf, counterUpdates } from './counter-items.js';
import { eventItem, messageItem, mustNotExist, putNew } from './items.js';
import { keys } from './keys.js';
import { refusedClaim } from './message-claims.js';
import { queryAll } from './query-all.js';
import {
  isConditionalCheckFailure,
  type TransactItem,
  transactWrite,
  transactWriteThroughConflicts,
} from './transactions.js';

const claimableCondition = '#status = :queued OR (#status = :sending AND claimExpiresAt < :now)';

/**
 * Tries of a status write with its counters while other transactions hold one of
 * them (hot counters): more than elsewhere, since once the provider has the message
 * a status that cannot be written would let a retry send it again.
 */
const statusWithCountersAttempts = 8;

export class DynamoOutbox implements Outbox {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(contactId: string, key: string): Promise<Message | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.message(contactId, key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : Message.parse(Item);
  }

  async enqueue(message: Message): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: messageItem(message),
          ConditionExpression: mustNotExist,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
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
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(contactId, key),
          UpdateExpression: 'SET #status = :sending, claimExpiresAt = :until ADD attempts :one',
          ConditionExpression: claimableCondition,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':sending': 'sending',
            ':now': now.toISOString(),
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', message: Message.parse(Attributes) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      // The failed write hands back the item as it was; an absent item means there is none.
      const current =
        error.Item === undefined ? await this.get(contactId, key) : Message.parse(unmarshall(error.Item));
      return refusedClaim(current, now);
    }
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
    // A contact has tens of messages, not millions: one query over its MSG# items and a filter is enough.
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#status = :sent AND kind = :marketing AND channel = :channel AND sentAt >= :since',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.message(contactId, '').PK,
        ':prefix': keys.messagePrefix,
        ':sent': 'sent',
        ':marketing': 'marketing',
        ':channel': channel,
        ':since': since.toISOString(),
      },
      ConsistentRead: true,
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
    const entries = Object.entries(changes);
    const update = {
      TableName: this.tableName,
      Key: keys.message(contactId, key),
      UpdateExpression: `SET ${entries.map((_, index) => `#a${index} = :v${index}`).join(', ')} REMOVE claimExpiresAt`,
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(entries.map(([name], index) => [`#a${index}`, name])),
      },
      ExpressionAttributeValues: {
        ':claimed': 'sending',
        ...Object.fromEntries(entries.map(([, value], index) => [`:v${index}`, value])),
      },
    };
    const notClaimed = () =>
      new ConcurrentUpdateError(`message ${contactId}/${key} is not claimed (it is missing or moved on)`);
    const statusItems: TransactItem[] = [
      { Update: update },
      ...(event === undefined ? [] : [putNew(this.tableName, eventItem(event))]),
    ];
    const merged = mergeIncrements(counters);
    if (merged.length > 0) {
      const cancellation = await transactWriteThroughConflicts(
        this.documentClient,
        [...statusItems, ...counterUpdates(this.tableName, merged, counterShardOf(`${contactId}#${key}`))],
        statusWithCountersAttempts,
      );
      if (cancellation === undefined) return;
      // The event is written only with the status, so it cannot exist while the claim is still held.
      if (cancellation.failedConditions.length > 0) throw notClaimed();
      // Still colliding on its counters: the status matters more than the count, so it goes
      // alone and the counters after it, where a crash in between would lose them.
      await this.finishClaim(contactId, key, changes, event);
      await addToCounters(this.documentClient, this.tableName, merged);
      return;
    }
    if (event !== undefined) {
      const cancellation = await transactWrite(this.documentClient, statusItems);
      // The event is written only with the status, so it cannot exist while the claim is still held.
      if (cancellation !== undefined) throw notClaimed();
      return;
    }
    try {
      await this.documentClient.send(new UpdateCommand(update));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      throw notClaimed();
    }
  }
}
