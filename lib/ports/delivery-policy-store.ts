import type { DeliveryPolicy } from '../domain/delivery-policy.js';

/**
 * Where the delivery policy in force is kept. The seed-content deployment publishes
 * `delivery-policy.yaml` here; `deliver` reads it (and caches it for a few minutes).
 */
export interface DeliveryPolicyStore {
  /** Undefined when none was ever published: nothing is held back. */
  get(): Promise<DeliveryPolicy | undefined>;
  put(policy: DeliveryPolicy, publishedAt: Date): Promise<void>;
}
