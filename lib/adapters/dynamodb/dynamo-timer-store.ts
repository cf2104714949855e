import {
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
import { mustNotExist, putNew } from './items.js';
import { keys } from './keys.js';
import {
  cursorItemType,
  dueTimerFromItem,
  dueTimerKey,
  firedItem,
  timerItem,
  timerKey,
  timersPerTransaction,
} from './timer-items.js';
import { isConditionalCheckFailure, type TransactItem, transactWrite } from './transactions.js';

/** A transaction that keeps colliding with another tick's is retried this often before giving up. */
const maxConflictRetries = 5;

export { timerEvent } from './timer-items.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoTimerStore implements TimerStore, MessageDeferrals {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The shard count new timers are written with (TIMER_SHARDS). */
    private readonly shards: number,
  ) {}

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

  async fire(due: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const chunks: DueTimer[][] = [];
    for (let start = 0; start < due.length; start += timersPerTransaction) {
      chunks.push(due.slice(start, start + timersPerTransaction));
    }
    // The chunks touch disjoint items, so their transactions can run side by side.
    const outcomes = await Promise.all(chunks.map((chunk) => this.fireChunk(chunk, firedAt)));
    return outcomes.reduce(
      (sum, outcome) => ({
        fired: sum.fired + outcome.fired,
        alreadyFired: sum.alreadyFired + outcome.alreadyFired,
      }),
      { fired: 0, alreadyFired: 0 },
    );
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

  /**
   * One transaction per chunk: each timer's event put (only if absent) and its
   * delete. A timer whose event exists already makes the whole transaction fail,
   * so those are only deleted and the rest go again.
   */
  private async fireChunk(chunk: readonly DueTimer[], firedAt: Date): Promise<FireOutcome> {
    const outcome: FireOutcome = { fired: 0, alreadyFired: 0 };
    let pending = [...chunk];
    let conflicts = 0;
    while (pending.length > 0) {
      const items: TransactItem[] = pending.flatMap((due) => [
        putNew(this.tableName, firedItem(due.timer, firedAt)),
        { Delete: { TableName: this.tableName, Key: dueTimerKey(due) } },
      ]);
      const cancellation = await transactWrite(this.documentClient, items);
      if (cancellation === undefined) {
        outcome.fired += pending.length;
        return outcome;
      }
      // Even indexes are the event (or message) puts; only those carry a condition.
      const alreadyFired = new Set(cancellation.failedConditions.map((index) => Math.floor(index / 2)));
      const done = pending.filter((_, index) => alreadyFired.has(index));
      await Promise.all(
        done.map((due) =>
          this.documentClient.send(new DeleteCommand({ TableName: this.tableName, Key: dueTimerKey(due) })),
        ),
      );
      outcome.alreadyFired += done.length;
      pending = pending.filter((_, index) => !alreadyFired.has(index));
      if (cancellation.conflicted) {
        conflicts += 1;
        if (conflicts > maxConflictRetries) {
          throw new ConcurrentUpdateError(
            `firing ${pending.length} timers kept colliding with another write; the next tick retries them`,
          );
        }
        // Another tick is firing the same timers: let it finish, then most of these will be already fired.
        await sleep(20 * 2 ** conflicts + Math.random() * 20);
      }
    }
    return outcome;
  }
}
