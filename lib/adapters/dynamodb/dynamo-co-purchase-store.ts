import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CoPurchaseStore } from '../../ports/co-purchase-store.js';
import { coPurchasePairs, maxPartners } from './co-purchase-items.js';
import { keys } from './keys.js';

export class DynamoCoPurchaseStore implements CoPurchaseStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addOrder(skus: readonly string[]): Promise<void> {
    await Promise.all(
      coPurchasePairs(skus).map(([sku, other]) =>
        this.documentClient.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.coPurchase(sku, other),
            UpdateExpression: 'ADD #count :one SET #type = :type',
            ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
            ExpressionAttributeValues: { ':one': 1, ':type': 'co-purchase' },
          }),
        ),
      ),
    );
  }

  async forSkus(skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const entries = await Promise.all(
      [...new Set(skus)].map(async (sku) => {
        const { Items = [] } = await this.documentClient.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.coPurchasePartition(sku) },
            Limit: maxPartners,
          }),
        );
        const partners = new Map<string, number>();
        for (const item of Items) {
          if (typeof item.SK === 'string' && typeof item.count === 'number')
            partners.set(item.SK, item.count);
        }
        return [sku, partners] as const;
      }),
    );
    return new Map(entries);
  }
}
