import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeadLetter, DeadLetterId, FailedRedrive } from '../../domain/dead-letter.js';
import type { DeadLetterPage, DeadLetterStore } from '../../ports/dead-letter-store.js';
import {
  deadLetterFromItem,
  deadLetterItem,
  deadLetterKey,
  deadLetterPartition,
} from './dead-letter-items.js';
import { mustNotExist } from './items.js';
import { isConditionalCheckFailure } from './transactions.js';

export class DynamoDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(deadLetter: DeadLetter): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: deadLetterItem(deadLetter),
        ConditionExpression: mustNotExist,
      }),
    );
  }

  async get(id: DeadLetterId): Promise<DeadLetter | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: deadLetterKey(id), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : deadLetterFromItem(Item);
  }

  async list(limit: number, after?: DeadLetterId): Promise<DeadLetterPage> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': deadLetterPartition },
        Limit: limit,
        ConsistentRead: true,
        ...(after === undefined ? {} : { ExclusiveStartKey: deadLetterKey(after) }),
      }),
    );
    const deadLetters = (page.Items ?? []).map(deadLetterFromItem);
    const last = deadLetters.at(-1);
    return { deadLetters, next: page.LastEvaluatedKey === undefined || last === undefined ? null : last.id };
  }

  async remove(id: DeadLetterId): Promise<void> {
    await this.documentClient.send(new DeleteCommand({ TableName: this.tableName, Key: deadLetterKey(id) }));
  }

  async recordFailedRedrive(id: DeadLetterId, redrive: FailedRedrive): Promise<DeadLetter | undefined> {
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deadLetterKey(id),
          UpdateExpression: 'SET redrives = redrives + :one, lastRedrive = :redrive',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1, ':redrive': redrive },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : deadLetterFromItem(Attributes);
    } catch (error) {
      if (isConditionalCheckFailure(error)) return undefined;
      throw error;
    }
  }
}
