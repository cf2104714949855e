import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactEvent } from '../../domain/contact-event.js';
import type { ContactEventLog } from '../../ports/contact-event-log.js';
import { eventItem, mustNotExist } from './items.js';
import { isConditionalCheckFailure } from './transactions.js';

export class DynamoContactEventLog implements ContactEventLog {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: ContactEvent): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: eventItem(event),
          ConditionExpression: mustNotExist,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
