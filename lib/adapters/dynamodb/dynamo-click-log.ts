import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Click } from '../../domain/attribution.js';
import type { ClickLog } from '../../ports/click-log.js';
import { type ItemType, mustNotExist } from './items.js';
import { keys, ttlAttribute } from './keys.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure } from './transactions.js';

export class DynamoClickLog implements ClickLog {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(contactId: string, click: Click, expiresAt: number): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.click(contactId, click.clickedAt, click.messageId),
            type: 'click' satisfies ItemType,
            ...click,
            [ttlAttribute]: expiresAt,
          },
          ConditionExpression: mustNotExist,
        }),
      );
    } catch (error) {
      // SNS delivers at least once: the same click again is already on record.
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  async since(contactId: string, sinceIso: string): Promise<Click[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.contact(contactId).PK,
        ':from': `${keys.clickPrefix}${sinceIso}`,
        ':to': `${keys.clickPrefix}\uffff`,
      },
      ConsistentRead: true,
    });
    return items.map((item) => Click.parse(item));
  }
}
