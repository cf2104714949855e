import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CoPurchaseStore } from '../../ports/co-purchase-store.js';
import { keys } from './keys.js';

/** An order with more distinct products than this counts only its first ones: n² updates add up. */
const maxSkusPerOrder = 20;
/** The most partners read per product: the strongest are what recommendations use. */
const maxPartners = 200;

export class DynamoCoPurchaseStore implements CoPurchaseStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addOrder(skus: readonly string[]): Promise<void> {
    const distinct = [...new Set(skus)].slice(0, maxSkusPerOrder);
    const pairs = distinct.flatMap((sku) =>
      distinct.filter((other) => other !== sku).map((other) => [sku, other] as const),
    );
    await Promise.all(
      pairs.map(([sku, other]) =>
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
