import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmationsAllowed, signupConfirmationLimits } from '../../../lib/domain/confirmation-limits.js';
import { adminApi } from '../admin-api.js';

/**
 * The signup form stopped mailing this address after its unanswered confirmations
 * (someone may be posting a stranger's address). An admin who has heard from the
 * person lets the form ask once more.
 */
export const ConfirmationsStopped = ({ contactId, mayAllow }: { contactId: string; mayAllow: boolean }) => {
  const queries = useQueryClient();
  const allowed = useMutation({
    mutationFn: () =>
      adminApi(
        ConfirmationsAllowed,
        'POST',
        `/admin/contacts/${encodeURIComponent(contactId)}/confirmations`,
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['contact', contactId] }),
  });
  return (
    <p className="notice">
      The signup form sent {signupConfirmationLimits.maxUnanswered} confirmation emails with no answer and
      sends no more to this address.{' '}
      {mayAllow ? (
        <button type="button" onClick={() => allowed.mutate()} disabled={allowed.isPending}>
          Let the form ask again
        </button>
      ) : (
        'An admin can let it ask again.'
      )}
      {allowed.isError ? (
        <span role="alert" className="problem">
          {' '}
          That failed: {allowed.error.message}
        </span>
      ) : null}
    </p>
  );
};
