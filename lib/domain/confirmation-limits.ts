import { z } from 'zod';

export interface ConfirmationLimits {
  /** The least time between two confirmation emails to one address from the signup form. */
  resendAfterMs: number;
  /** Confirmation emails the form sends one address unanswered before it stops, until an admin allows more. */
  maxUnanswered: number;
}

/**
 * The signup form takes any address from anyone, so it must not become a way to mail a
 * stranger again and again ("subscription bombing"): one confirmation a day, three in all.
 */
export const signupConfirmationLimits: ConfirmationLimits = {
  resendAfterMs: 24 * 3_600_000,
  maxUnanswered: 3,
};

/** Whether the form has stopped asking this address (it sent the most unanswered confirmations). */
export const confirmationsStopped = (unansweredConfirmations: number | undefined): boolean =>
  (unansweredConfirmations ?? 0) >= signupConfirmationLimits.maxUnanswered;

/** What `POST /admin/contacts/{id}/confirmations` answers. */
export const ConfirmationsAllowed = z.object({
  contactId: z.string(),
  /** The count before the reset. */
  unansweredBefore: z.number().int().min(0),
  version: z.number().int().min(1),
});
export type ConfirmationsAllowed = z.infer<typeof ConfirmationsAllowed>;
