import {
  type DeliveryPolicyAnswer,
  DeliveryPolicyRequest,
  type DeliveryPolicyValidation,
  type PublishedDeliveryPolicy,
} from '../domain/delivery-policy-answers.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryPolicyStore } from '../ports/delivery-policy-store.js';
import { problemsOf, refuse } from './admin/problems.js';

export interface ManageDeliveryPolicyDeps {
  policies: DeliveryPolicyStore;
  clock: Clock;
  /** How long `deliver` keeps the policy it read before reading it again. */
  policyMaxAgeMs: number;
}

const answerOf = (
  deps: ManageDeliveryPolicyDeps,
  published: PublishedDeliveryPolicy | undefined,
): DeliveryPolicyAnswer => ({
  policy: published?.policy ?? {},
  version: published?.version ?? 0,
  publishedAt: published?.publishedAt ?? null,
  takesEffectWithinSeconds: Math.ceil(deps.policyMaxAgeMs / 1000),
});

/** The policy in force; before any was published, an empty one (nothing held back) at version 0. */
export const getDeliveryPolicy = async (deps: ManageDeliveryPolicyDeps): Promise<DeliveryPolicyAnswer> =>
  answerOf(deps, await deps.policies.current());

/** Checks a `PUT` body without storing it; the version may be left out. */
export const validateDeliveryPolicy = (body: unknown): DeliveryPolicyValidation => {
  const parsed = DeliveryPolicyRequest.partial({ version: true }).safeParse(body);
  return parsed.success
    ? { valid: true, problems: [] }
    : { valid: false, problems: problemsOf(parsed.error) };
};

/**
 * Replaces the whole policy over the version it was read at (409 if another
 * publication came first, so an edit never undoes one its author did not see).
 * `deliver` applies it within `policyMaxAgeMs`.
 */
export const putDeliveryPolicy = async (
  deps: ManageDeliveryPolicyDeps,
  body: unknown,
): Promise<DeliveryPolicyAnswer> => {
  const parsed = DeliveryPolicyRequest.safeParse(body);
  if (!parsed.success)
    throw refuse(problemsOf(parsed.error), 'the delivery policy is not valid; nothing was stored');
  const { policy, version } = parsed.data;
  return answerOf(deps, await deps.policies.put(policy, deps.clock.now(), version));
};
