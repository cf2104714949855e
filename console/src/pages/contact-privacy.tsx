import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ContactExport } from '../../../lib/domain/contact-export.js';
import { ErasureRecord } from '../../../lib/domain/erasure.js';
import { adminApi } from '../admin-api.js';

/**
 * The contact's data protection requests, for admins: an export of everything
 * held about them, and erasure behind a typed confirmation (their address).
 */
export const ContactPrivacy = ({ contactId, email }: { contactId: string; email: string }) => {
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const path = `/admin/contacts/${encodeURIComponent(contactId)}`;
  const exported = useMutation({
    mutationFn: () => adminApi(ContactExport, 'GET', `${path}/export`),
    onSuccess: (data) => {
      // A download made here: the export never passes through a URL anyone could open again.
      const link = document.createElement('a');
      link.href = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      link.download = `contact-${contactId}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const erased = useMutation({
    mutationFn: () => adminApi(ErasureRecord, 'DELETE', path),
  });
  const confirmed = typed.trim().toLowerCase() === email.toLowerCase();
  return (
    <section aria-labelledby="privacy">
      <h2 id="privacy">Export and erasure</h2>
      <div className="actions">
        <button type="button" onClick={() => exported.mutate()} disabled={exported.isPending}>
          Export their data
        </button>
      </div>
      {exported.isError ? (
        <p role="alert" className="problem">
          The export failed: {exported.error.message}
        </p>
      ) : null}
      {erased.data === undefined ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed) erased.mutate();
          }}
        >
          <label htmlFor="erase-confirmation">
            To erase this contact for good, type their address ({email})
          </label>
          <input
            id="erase-confirmation"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit" className="danger" disabled={!confirmed || erased.isPending}>
            Erase this contact
          </button>
        </form>
      ) : (
        <div role="status">
          <p>
            Erased:{' '}
            {Object.entries(erased.data.removed)
              .map(([kind, removed]) => `${removed} ${kind}`)
              .join(', ')}
            . Their address is kept only as a hash, so they are never contacted again.
          </p>
          <button type="button" onClick={() => navigate('/contacts')}>
            Back to the contacts
          </button>
        </div>
      )}
      {erased.isError ? (
        <p role="alert" className="problem">
          The erasure failed: {erased.error.message}
        </p>
      ) : null}
    </section>
  );
};
