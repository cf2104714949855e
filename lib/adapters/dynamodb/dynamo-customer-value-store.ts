import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { RfmThresholds } from '../../domain/customer-value.js';
import type { CustomerValueStore } from '../../ports/customer-value-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/** One item, `CONFIG` / `RFM_THRESHOLDS`, replaced by every refresh. */
export class DynamoCustomerValueStore implements CustomerValueStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async thresholds(): Promise<RfmThresholds | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.config('RFM_THRESHOLDS'), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : RfmThresholds.parse(Item);
  }

  async saveThresholds(thresholds: RfmThresholds): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.config('RFM_THRESHOLDS'),
          type: 'config' satisfies ItemType,
          ...RfmThresholds.parse(thresholds),
        },
      }),
    );
  }
}
