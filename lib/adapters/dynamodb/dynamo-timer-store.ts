import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { DateTimer, MessageTimer, Timer } from '../../domain/timer.js';
import {
  type DueTimer,
  type FireOutcome,
  type MessageDeferrals,
  TimerCursor,
  type TimerLocation,
  type TimerStore,
} from '../../ports/timer-store.js';
import { type BatchWriter, batchDelete } from './batch-delete.js';
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
   * Each timer's item (event or message) put only if absent, then the timers
   * deleted, 25 to a BatchWriteItem: 1 write unit per started KB for each,
   * where a transaction of the two cost 2 each. Exactly once all the same: the
   * put is conditional, so a timer fired again (a crash between put and delete,
   * another tick, a timer filed again) writes nothing and is only deleted, and
   * a delete is idempotent. A timer whose put failed otherwise is left for the
   * next tick, and the error thrown once the others are done.
   */
  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const puts = await Promise.allSettled(
      due.map(async (timer): Promise<keyof FireOutcome> => {
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
      }),
    );
    const outcome: FireOutcome = { fired: 0, alreadyFired: 0 };
    const done: DueTimer[] = [];
    puts.forEach((put, index) => {
      const timer = due[index];
      if (put.status === 'rejected' || timer === undefined) return;
      outcome[put.value] += 1;
      done.push(timer);
    });
    await batchDelete(this.batchWrite, this.tableName, done.map(dueTimerKey));
    const failed = puts.find((put) => put.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return outcome;
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
