import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeEmail } from '../../domain/contact.js';
import type { Suppression, SuppressionStore } from '../../ports/suppression-store.js';
import { type ItemType, mustNotExist } from './items.js';
import { keys } from './keys.js';
import { isConditionalCheckFailure } from './transactions.js';

/** Callers pass normalized addresses; normalizing emails again here costs nothing and closes a case gap. */
const keyFor = (channel: Suppression['channel'], address: string) =>
  keys.suppression(channel, channel === 'email' ? normalizeEmail(address) : address);

export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isSuppressed(channel: Suppression['channel'], address: string): Promise<boolean> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keyFor(channel, address),
        ProjectionExpression: 'PK',
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async suppress(suppression: Suppression): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyFor(suppression.channel, suppression.address),
            type: 'suppression' satisfies ItemType,
            ...suppression,
          },
          ConditionExpression: mustNotExist,
        }),
      );
    } catch (error) {
      // The first record (the original bounce or complaint) is the one worth keeping.
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}
