import { z } from 'zod';
import { DeliveryPolicy } from '../../domain/delivery-policy.js';
import type { DeliveryPolicyStore } from '../../ports/delivery-policy-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

const PolicyItem = z.object({ policy: z.string() });

/** One item, `CONFIG` / `DELIVERY_POLICY`, holding the parsed policy as JSON text, as the DynamoDB store keeps it. */
export class MemoryDeliveryPolicyStore implements DeliveryPolicyStore {
  constructor(private readonly table: MemoryTable) {}

  async get(): Promise<DeliveryPolicy | undefined> {
    const item = await this.table.get(keys.config('DELIVERY_POLICY'));
    return item === undefined ? undefined : DeliveryPolicy.parse(JSON.parse(PolicyItem.parse(item).policy));
  }

  async put(policy: DeliveryPolicy, publishedAt: Date): Promise<void> {
    await this.table.write({
      put: {
        ...keys.config('DELIVERY_POLICY'),
        type: 'config' satisfies ItemType,
        policy: JSON.stringify(DeliveryPolicy.parse(policy)),
        publishedAt: publishedAt.toISOString(),
      },
    });
  }
}
