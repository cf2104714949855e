import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { SavedSegment, SegmentCountAnswer } from '../../../lib/domain/audience-segment.js';
import { Anything, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { count, QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

/** A segment: its condition, and a count of its members with a sample, followed while it runs. */
export const SegmentPage = () => {
  const id = useParams().id ?? '';
  const queries = useQueryClient();
  const segment = useQuery({
    queryKey: ['segment', id],
    queryFn: () => adminApi(SavedSegment, 'GET', `/admin/segments/${encodeURIComponent(id)}`),
  });
  const latest = useQuery({
    queryKey: ['segment-count', id],
    queryFn: () => adminApi(SegmentCountAnswer, 'GET', `/admin/segments/${encodeURIComponent(id)}/count`),
    // A count runs as a job: look again every second until it is done, even after leaving and coming back.
    refetchInterval: (query) => (query.state.data?.count?.done === false ? 1_000 : false),
  });
  const startCount = useMutation({
    mutationFn: () => adminApi(Anything, 'POST', `/admin/segments/${encodeURIComponent(id)}/count`, {}),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['segment-count', id] }),
  });
  const running = latest.data?.count?.done === false;
  const mayCount = useMay('marketer');
  return (
    <QueryState query={segment} what="the segment">
      {(saved) => (
        <>
          <h1>{saved.name}</h1>
          {saved.description === undefined ? null : <p>{saved.description}</p>}
          <dl className="facts">
            <dt>Id</dt>
            <dd>{saved.id}</dd>
            <dt>Live</dt>
            <dd>{saved.live ? 'yes: entries and exits are events journeys can start on' : 'no'}</dd>
            <dt>Version</dt>
            <dd>
              v{saved.version}, changed {when(saved.updatedAt)}
            </dd>
          </dl>
          {mayCount ? (
            <p>
              <Link to={`/segments/${saved.id}/edit`}>Edit this segment</Link>
            </p>
          ) : null}
          <h2>Condition</h2>
          <TableScroll label="Condition">
            <pre className="code">{JSON.stringify(saved.condition, null, 2)}</pre>
          </TableScroll>
          <h2>Members</h2>
          {mayCount ? (
            <button
              type="button"
              onClick={() => startCount.mutate()}
              disabled={running || startCount.isPending}
            >
              {running ? 'Counting…' : 'Count members'}
            </button>
          ) : null}
          {startCount.isError ? (
            <p role="alert" className="problem">
              The count could not start: {startCount.error.message}
            </p>
          ) : null}
          <QueryState query={latest} what="the latest count">
            {({ count: view }) =>
              view === null ? (
                <p>Not counted yet.</p>
              ) : (
                <section aria-live="polite" aria-label="Latest count">
                  <p className="count-result">
                    {view.status === 'failed'
                      ? `The count failed: ${view.error ?? 'no reason given'}`
                      : `${count(view.members)} ${view.members === 1 ? 'member' : 'members'} among ${count(view.seen)} ${view.seen === 1 ? 'contact' : 'contacts'} ${view.done ? 'counted' : 'looked at so far'}`}
                  </p>
                  <p className="muted">
                    Version v{view.version}, dates measured from {when(view.at)}
                    {view.finishedAt === undefined ? '' : `, finished ${when(view.finishedAt)}`}.
                  </p>
                  {view.sample.length === 0 ? null : (
                    <>
                      <h3>A few of them</h3>
                      <ul className="sample">
                        {view.sample.map((member) => (
                          <li key={member.contactId}>
                            <Link to={`/contacts/${member.contactId}`}>{member.email}</Link>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </section>
              )
            }
          </QueryState>
        </>
      )}
    </QueryState>
  );
};
