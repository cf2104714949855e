import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiKeyList, ApiKeySummary, NewApiKey } from '../../../lib/domain/api-key-summary.js';
import { AuditPage } from '../../../lib/domain/audit-entry.js';
import { TopicList } from '../../../lib/domain/topic-list.js';
import { adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';
import { DeliveryPolicySection } from './delivery-policy-section.js';

/**
 * The delivery policy (admins change it), the topics contacts can pick, API keys
 * for the shop's ingestion (admins only), and the audit log of every change.
 */
export const SettingsPage = () => {
  const mayManageKeys = useMay('admin');
  return (
    <>
      <h1>Settings</h1>
      <DeliveryPolicySection />
      <Topics />
      {mayManageKeys ? <ApiKeys /> : null}
      <AuditLog />
    </>
  );
};

/** Read only: the deployment's TOPICS setting (`rapport:topics` in the cloud) decides them. */
const Topics = () => {
  const topics = useQuery({
    queryKey: ['topics'],
    queryFn: () => adminApi(TopicList, 'GET', '/admin/topics'),
  });
  return (
    <section aria-labelledby="topics">
      <h2 id="topics">Topics</h2>
      <p>
        What contacts can pick on the signup form and in the preference center, set for the deployment (
        <code>TOPICS</code>).
      </p>
      <QueryState query={topics} what="the topics">
        {({ topics: list }) => (
          <ul>
            {list.map((topic) => (
              <li key={topic.id}>
                {topic.label} <span className="muted">({topic.id})</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
};

const ApiKeys = () => {
  const queries = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => adminApi(ApiKeyList, 'GET', '/admin/api-keys'),
  });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (keyName: string) => adminApi(NewApiKey, 'POST', '/admin/api-keys', { name: keyName }),
    onSuccess: () => {
      setName('');
      return queries.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      adminApi(ApiKeySummary, 'POST', `/admin/api-keys/${encodeURIComponent(keyId)}/revoke`, {}),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim());
  };
  return (
    <section aria-labelledby="api-keys">
      <h2 id="api-keys">API keys</h2>
      <p>
        The shop sends orders and identifies with one of these (<code>Authorization: Bearer rk_…</code>).
      </p>
      <form onSubmit={submit} className="search">
        <label htmlFor="key-name">Name of the new key</label>
        <input
          id="key-name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.isError ? (
        <p role="alert" className="problem">
          {create.error.message}
        </p>
      ) : null}
      {create.data === undefined ? null : (
        <div role="status" className="new-key">
          <p>
            The key <strong>{create.data.name}</strong>, shown this once: copy it now, it cannot be shown
            again.
          </p>
          <code>{create.data.key}</code>
        </div>
      )}
      <QueryState query={keys} what="the keys">
        {({ keys: list }) =>
          list.length === 0 ? (
            <p>No keys yet.</p>
          ) : (
            <TableScroll label="API keys">
              <table>
                <caption>Ingestion keys, newest last</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Ends with</th>
                    <th scope="col">Created</th>
                    <th scope="col">Revoked</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((key) => (
                    <tr key={key.keyId}>
                      <th scope="row">{key.name}</th>
                      <td>…{key.hint}</td>
                      <td>{when(key.createdAt)}</td>
                      <td>{when(key.revokedAt)}</td>
                      <td>
                        {key.revokedAt === undefined ? (
                          <button
                            type="button"
                            className="danger"
                            disabled={revoke.isPending}
                            onClick={() => {
                              if (
                                window.confirm(
                                  `Revoke the key “${key.name}”? The shop's calls with it stop at once.`,
                                )
                              )
                                revoke.mutate(key.keyId);
                            }}
                          >
                            Revoke<span className="visually-hidden"> {key.name}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryState>
    </section>
  );
};

const AuditLog = () => {
  const [after, setAfter] = useState<string[]>([]);
  const cursor = after.at(-1);
  const page = useQuery({
    queryKey: ['audit', cursor ?? ''],
    queryFn: () =>
      adminApi(
        AuditPage,
        'GET',
        `/admin/audit?limit=25${cursor === undefined ? '' : `&after=${encodeURIComponent(cursor)}`}`,
      ),
  });
  return (
    <section aria-labelledby="audit-log">
      <h2 id="audit-log">Audit log</h2>
      <p>
        Every change made through the admin API (who, when, what, and the versions before and after), and each
        pause of marketing email Rapport made on its own, with its cause.
      </p>
      <QueryState query={page} what="the audit log">
        {({ entries, next }) => (
          <>
            {entries.length === 0 ? (
              <p>Nothing changed yet.</p>
            ) : (
              <TableScroll label="Audit log">
                <table>
                  <caption>Newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Change</th>
                      <th scope="col">Target</th>
                      <th scope="col">Versions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((entry) => (
                      <tr key={entry.id}>
                        <th scope="row">{when(entry.at)}</th>
                        <td>
                          {entry.actor.id} ({entry.actor.role})
                        </td>
                        <td>
                          {entry.method} {entry.route}
                          {entry.cause === undefined ? null : <div className="muted">{entry.cause}</div>}
                        </td>
                        <td>{Object.values(entry.target).join(', ') || '–'}</td>
                        <td>
                          {entry.versionBefore ?? '–'} → {entry.versionAfter ?? '–'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <div className="actions">
              {after.length === 0 ? null : (
                <button type="button" onClick={() => setAfter(after.slice(0, -1))}>
                  Newer
                </button>
              )}
              {next === null ? null : (
                <button type="button" onClick={() => setAfter([...after, next])}>
                  Older
                </button>
              )}
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
};
