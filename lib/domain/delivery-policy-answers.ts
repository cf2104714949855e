import { z } from 'zod';
import { DeliveryPolicy } from './delivery-policy.js';
import { Problem } from './problem.js';

/**
 * The delivery policy as the admin API reads and takes it (`/admin/delivery-policy`),
 * read back by the console with these same schemas.
 */

/** The policy in force as stored, with the counter of its publications (a deployment's or an admin's). */
export const PublishedDeliveryPolicy = z.object({
  policy: DeliveryPolicy,
  /** Counts every publication; 0 for a policy stored before versions were counted. */
  version: z.number().int().min(0),
  publishedAt: z.iso.datetime(),
});
export type PublishedDeliveryPolicy = z.infer<typeof PublishedDeliveryPolicy>;

/** `GET` and `PUT /admin/delivery-policy`: before anything was published, an empty policy at version 0. */
export const DeliveryPolicyAnswer = PublishedDeliveryPolicy.extend({
  publishedAt: z.iso.datetime().nullable(),
  /** How long `deliver` may go on with the policy it read: a change holds for every send after this. */
  takesEffectWithinSeconds: z.number().int().min(0),
});
export type DeliveryPolicyAnswer = z.infer<typeof DeliveryPolicyAnswer>;

/**
 * `PUT /admin/delivery-policy`: the whole policy and the version it was read at,
 * so an edit made over another one is refused (409) instead of undoing it.
 */
export const DeliveryPolicyRequest = z.strictObject({
  policy: DeliveryPolicy,
  version: z.number().int().min(0),
});
export type DeliveryPolicyRequest = z.infer<typeof DeliveryPolicyRequest>;

/** `POST /admin/delivery-policy/validate`: each problem at its path (`policy.email.caps.0.max`). */
export const DeliveryPolicyValidation = z.object({ valid: z.boolean(), problems: z.array(Problem) });
export type DeliveryPolicyValidation = z.infer<typeof DeliveryPolicyValidation>;
