import { z } from 'zod';
import { DeliveryPolicy } from '../../domain/delivery-policy.js';
import type { PublishedDeliveryPolicy } from '../../domain/delivery-policy-answers.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/**
 * One item, `CONFIG` / `DELIVERY_POLICY`, holding the parsed policy as JSON text
 * (an empty policy would be an empty map, which stream readers choke on) and a
 * `version` counted up by every publication, for an admin's optimistic write.
 */
export const deliveryPolicyKey = keys.config('DELIVERY_POLICY');

const PolicyItem = z.object({
  policy: z.string(),
  publishedAt: z.iso.datetime(),
  // Items published before versions were counted have none.
  version: z.number().int().min(0).default(0),
});

export const policyFromItem = (item: Record<string, unknown>): PublishedDeliveryPolicy => {
  const { policy, publishedAt, version } = PolicyItem.parse(item);
  return { policy: DeliveryPolicy.parse(JSON.parse(policy)), publishedAt, version };
};

/** The attributes a publication sets, `version` aside. */
export const policyAttributes = (policy: DeliveryPolicy, publishedAt: Date) => ({
  type: 'config' satisfies ItemType,
  policy: JSON.stringify(DeliveryPolicy.parse(policy)),
  publishedAt: publishedAt.toISOString(),
});

export const stalePolicyMessage = (expectedVersion: number): string =>
  expectedVersion === 0
    ? 'a delivery policy was published since it was read; read it again'
    : `the delivery policy changed since version ${expectedVersion}; read it again`;
