import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import type { PublishedDeliveryPolicy } from '../domain/delivery-policy-answers.js';

/**
 * Where the delivery policy in force is kept. The seed-content deployment publishes
 * `delivery-policy.yaml` here, and admins replace it through the admin API;
 * `deliver` reads it (and caches it for a few minutes).
 */
export interface DeliveryPolicyStore {
  /** Undefined when none was ever published: nothing is held back. */
  get(): Promise<DeliveryPolicy | undefined>;
  /** The same with its version and publication time. */
  current(): Promise<PublishedDeliveryPolicy | undefined>;
  /**
   * Publishes the policy as the next version. With `expectedVersion` (0: none
   * published yet) only over that version, else ConcurrentUpdateError; without
   * it, over whatever is there (a deployment's file wins).
   */
  put(policy: DeliveryPolicy, publishedAt: Date, expectedVersion?: number): Promise<PublishedDeliveryPolicy>;
}
