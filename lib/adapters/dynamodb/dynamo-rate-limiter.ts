import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RateDecision, type RateLimit, type RateLimiter, windowOf } from '../../ports/rate-limiter.js';
import type { ItemType } from './items.js';
import { keys, ttlAttribute } from './keys.js';
import { isConditionalCheckFailure } from './transactions.js';

/** A window's count is kept an hour past its end, then TTL removes it. */
const keptAfterWindowSeconds = 3600;

/**
 * One counter item per key and window, added to only while under the limit: one
 * conditional UpdateItem a request (1 write unit; a refused one is charged too).
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(key: string, rate: RateLimit, now: Date): Promise<RateDecision> {
    const window = windowOf(rate, now);
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateWindow(key, window.start),
          UpdateExpression: 'ADD #count :one SET #type = :type, #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#type': 'type', '#expires': ttlAttribute },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': rate.limit,
            ':type': 'rate-window' satisfies ItemType,
            ':expires': Math.ceil(window.endsAt.getTime() / 1000) + keptAfterWindowSeconds,
          },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (isConditionalCheckFailure(error)) return window.refusal;
      throw error;
    }
  }

  async check(key: string, rate: RateLimit, now: Date): Promise<RateDecision> {
    const window = windowOf(rate, now);
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.rateWindow(key, window.start),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.count === 'number' && Item.count >= rate.limit ? window.refusal : { allowed: true };
  }
}
