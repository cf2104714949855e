import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SoftBounce, type SoftBounceLog } from '../../ports/soft-bounce-log.js';
import { mustNotExist } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { inRecordedOrder, softBounceItem, softBouncePartition } from './soft-bounce-items.js';
import { isoTime } from './suppression-items.js';
import { isConditionalCheckFailure } from './transactions.js';

export class DynamoSoftBounceLog implements SoftBounceLog {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(address: string, bounce: SoftBounce, expiresAt: number): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: softBounceItem(address, { ...bounce, at: isoTime(bounce.at) }, expiresAt),
          ConditionExpression: mustNotExist,
        }),
      );
      return true;
    } catch (error) {
      // SNS delivers at least once: the same mail's bounce is on record already.
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async since(address: string, sinceIso: string): Promise<SoftBounce[]> {
    // Keyed by mail, not time (a redelivery must find its first record), so the
    // times are filtered; TTL keeps the partition to a few items.
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#at >= :since',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: {
        ':pk': softBouncePartition(address),
        ':prefix': keys.softBouncePrefix,
        ':since': isoTime(sinceIso),
      },
      ConsistentRead: true,
    });
    return items.map((item) => SoftBounce.parse(item)).sort(inRecordedOrder);
  }
}
