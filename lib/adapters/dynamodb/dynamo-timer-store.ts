import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import { type DateTimer, isMessageTimer, type MessageTimer, type Timer } from '../../domain/timer.js';
import {
  type DueTimer,
  type FireOutcome,
  type MessageDeferrals,
  TimerCursor,
  type TimerLocation,
  type TimerStore,
} from '../../ports/timer-store.js';
import { batchGetItems, itemKeyText } from './batch-get.js';
import { type BatchWriter, batchDelete, batchPut } from './batch-write.js';
import { mustNotExist } from './items.js';
import { keys } from './keys.js';
import {
  cursorItemType,
  dueTimerFromItem,
  dueTimerKey,
  firedItem,
  timerItem,
  timerKey,
} from './timer-items.js';
import { isConditionalCheckFailure } from './transactions.js';

export { timerEvent } from './timer-items.js';

export class DynamoTimerStore implements TimerStore, MessageDeferrals {
  private readonly batchWrite: BatchWriter;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The shard count new timers are written with (TIMER_SHARDS). */
    private readonly shards: number,
  ) {
    this.batchWrite = (input) => this.documentClient.send(new BatchWriteCommand(input));
  }

  async schedule(timer: Timer | MessageTimer | DateTimer, scheduledAt?: Date): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: timerItem(timer, this.shards, scheduledAt),
          ConditionExpression: mustNotExist,
        }),
      );
    } catch (error) {
      // The same timer id is the same wait: already filed is what was asked for.
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  async deferMessage(timer: MessageTimer, scheduledAt: Date): Promise<void> {
    await this.schedule(timer, scheduledAt);
  }

  async dueIn(location: TimerLocation, now: Date, limit: number): Promise<DueTimer[]> {
    const { Items = [] } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        // Sort keys are `<dueAt>#<id>`; '$' sorts right after '#', so this takes every timer due at or before now.
        KeyConditionExpression: 'PK = :pk AND SK < :after',
        ExpressionAttributeValues: {
          ':pk': keys.timerPartition(location.bucket, location.shard),
          ':after': `${now.toISOString()}$`,
        },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items.map((item) => dueTimerFromItem(item));
  }

  /**
   * Exactly once, at 1 write unit per started KB for the item and 1 for the timer's delete
   * (a transaction of the two would cost 2 each), and without a request per timer:
   *
   * - A `timer` or `date_reached` event: the page's events are read in one BatchGetItem, and
   *   those absent put 25 to a BatchWriteItem. A batch put takes no condition, so two ticks
   *   racing past the read could both put one; the second put replaces the item (a MODIFY on
   *   the stream, which no consumer reads: every stream filter takes INSERTs only), so the
   *   event still starts work once. A tick that crashed after the put finds the event and only
   *   deletes the timer.
   * - A deferred message: put only if absent, one request each, because its outbox item
   *   moves on (claimed, sent) and must never be put back to `queued`.
   *
   * Then the timers are deleted, 25 to a BatchWriteItem. A timer whose item could not be
   * written is left for the next tick, and the error thrown once the others are done.
   */
  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const outcome: FireOutcome = { fired: 0, alreadyFired: 0 };
    const events = due.filter((timer) => !isMessageTimer(timer.timer));
    const messages = due.filter((timer) => isMessageTimer(timer.timer));
    const fireEvents = async (): Promise<DueTimer[]> => {
      const items = events.map((timer) => firedItem(timer.timer, firedAt));
      const existing = await batchGetItems(this.documentClient, this.tableName, items, {
        consistent: false,
      });
      const absent = items.filter((item) => !existing.has(itemKeyText(item)));
      await batchPut(this.batchWrite, this.tableName, absent);
      outcome.fired += absent.length;
      outcome.alreadyFired += items.length - absent.length;
      return events;
    };
    const fireMessages = async (): Promise<DueTimer[]> => {
      const puts = await Promise.allSettled(messages.map((timer) => this.putIfAbsent(timer, firedAt)));
      const failed = puts.find((put) => put.status === 'rejected');
      const written = messages.filter((_, index) => puts[index]?.status === 'fulfilled');
      for (const put of puts) if (put.status === 'fulfilled') outcome[put.value] += 1;
      await batchDelete(this.batchWrite, this.tableName, written.map(dueTimerKey));
      if (failed !== undefined) throw failed.reason;
      return [];
    };
    const [fromEvents, fromMessages] = await Promise.allSettled([fireEvents(), fireMessages()]);
    if (fromEvents.status === 'fulfilled')
      await batchDelete(this.batchWrite, this.tableName, fromEvents.value.map(dueTimerKey));
    for (const result of [fromEvents, fromMessages]) if (result.status === 'rejected') throw result.reason;
    return outcome;
  }

  private async putIfAbsent(timer: DueTimer, firedAt: Date): Promise<keyof FireOutcome> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: firedItem(timer.timer, firedAt),
          ConditionExpression: mustNotExist,
        }),
      );
      return 'fired';
    } catch (error) {
      if (isConditionalCheckFailure(error)) return 'alreadyFired';
      throw error;
    }
  }

  async remove(timer: Timer, scheduledAt?: Date): Promise<void> {
    await this.documentClient.send(
      new DeleteCommand({ TableName: this.tableName, Key: timerKey(timer, this.shards, scheduledAt) }),
    );
  }

  async readCursor(): Promise<TimerCursor | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.timerCursor, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : TimerCursor.parse(Item);
  }

  async advanceCursor(expected: TimerCursor | undefined, next: TimerCursor): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.timerCursor, type: cursorItemType, ...TimerCursor.parse(next) },
          ...(expected === undefined
            ? { ConditionExpression: mustNotExist }
            : {
                ConditionExpression: 'drainedThrough = :drained AND shards = :shards',
                ExpressionAttributeValues: {
                  ':drained': expected.drainedThrough,
                  ':shards': expected.shards,
                },
              }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      throw new ConcurrentUpdateError(
        `the timer cursor moved since ${expected?.drainedThrough ?? 'it was found missing'}`,
      );
    }
  }
}
