import type { DeliveryPolicy } from '../../domain/delivery-policy.js';
import type { PublishedDeliveryPolicy } from '../../domain/delivery-policy-answers.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { DeliveryPolicyStore } from '../../ports/delivery-policy-store.js';
import {
  deliveryPolicyKey,
  policyAttributes,
  policyFromItem,
  stalePolicyMessage,
} from '../dynamodb/delivery-policy-items.js';
import { attributeIs, type Condition, type MemoryTable } from './memory-table.js';

const versionOf = (item: Readonly<Record<string, unknown>> | undefined): number =>
  typeof item?.version === 'number' ? item.version : 0;

/** The policy in force as the DynamoDB store keeps it: one item, its version counted up by every publication. */
export class MemoryDeliveryPolicyStore implements DeliveryPolicyStore {
  constructor(private readonly table: MemoryTable) {}

  async get(): Promise<DeliveryPolicy | undefined> {
    return (await this.current())?.policy;
  }

  async current(): Promise<PublishedDeliveryPolicy | undefined> {
    const item = await this.table.get(deliveryPolicyKey);
    return item === undefined ? undefined : policyFromItem(item);
  }

  async put(
    policy: DeliveryPolicy,
    publishedAt: Date,
    expectedVersion?: number,
  ): Promise<PublishedDeliveryPolicy> {
    // attribute_not_exists(version) for 0, as the DynamoDB store writes it.
    const condition: Condition | undefined =
      expectedVersion === undefined
        ? undefined
        : expectedVersion === 0
          ? (current) => current?.version === undefined
          : attributeIs('version', expectedVersion);
    const outcome = await this.table.write({
      update: deliveryPolicyKey,
      apply: (current) => ({
        ...current,
        ...policyAttributes(policy, publishedAt),
        version: versionOf(current) + 1,
      }),
      ...(condition === undefined ? {} : { condition }),
    });
    if (!outcome.written) throw new ConcurrentUpdateError(stalePolicyMessage(expectedVersion ?? 0));
    return policyFromItem(outcome.item ?? {});
  }
}
