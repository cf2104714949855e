import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DeliveryPolicy } from '../../domain/delivery-policy.js';
import type { DeliveryPolicyStore } from '../../ports/delivery-policy-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

const PolicyItem = z.object({ policy: z.string() });

/**
 * One item, `CONFIG` / `DELIVERY_POLICY`, holding the parsed policy as JSON text:
 * an empty policy would be an empty map, which stream readers choke on.
 */
export class DynamoDeliveryPolicyStore implements DeliveryPolicyStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<DeliveryPolicy | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.config('DELIVERY_POLICY'),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : DeliveryPolicy.parse(JSON.parse(PolicyItem.parse(Item).policy));
  }

  async put(policy: DeliveryPolicy, publishedAt: Date): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.config('DELIVERY_POLICY'),
          type: 'config' satisfies ItemType,
          policy: JSON.stringify(DeliveryPolicy.parse(policy)),
          publishedAt: publishedAt.toISOString(),
        },
      }),
    );
  }
}
