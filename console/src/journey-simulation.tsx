import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { JourneySimulation, type TimelineEntry } from '../../lib/domain/simulate.js';
import { adminApi } from './admin-api.js';
import { when } from './query-state.js';
import { TableScroll } from './table-scroll.js';

/** What a line of the timeline says beyond its kind. */
const entryText = (entry: TimelineEntry): string => {
  switch (entry.kind) {
    case 'entered':
      return `${entry.group} group`;
    case 'not-entered':
      return entry.reason;
    case 'waiting':
      return `at ${entry.node} until ${when(entry.until)}${entry.event === undefined ? '' : ` or ${entry.event}`}`;
    case 'sent':
      return `${entry.node}: ${entry.subject ?? entry.text ?? entry.template}`;
    case 'skipped':
      return `${entry.node}: ${entry.reason}`;
    case 'deferred':
      return `${entry.node}: ${entry.reason} until ${when(entry.until)}`;
    case 'failed':
      return `${entry.node ?? ''} ${entry.reason}`.trim();
    case 'updated':
      return `${entry.node}: ${entry.changed.join(', ')}`;
    case 'emitted':
      return `${entry.node}: ${entry.detailType}`;
    case 'exited':
      return entry.reason;
    default:
      return '';
  }
};

const parseJson = (text: string, field: string): unknown => {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${field} is not JSON`);
  }
};

/**
 * A what-if on the saved draft (or the latest version without one): a contact
 * and events in, the deployment's own journey code on a virtual clock, and the
 * timeline out.
 */
export const JourneySimulationPanel = ({ path }: { path: string }) => {
  const ids = useId();
  const [contact, setContact] = useState('{ "email_status": "subscribed" }');
  const [events, setEvents] = useState('');
  const run = useMutation({
    mutationFn: () => {
      const body = { contact: parseJson(contact, 'The contact'), events: parseJson(events, 'The events') };
      return adminApi(JourneySimulation, 'POST', `${path}/simulate`, body);
    },
  });
  return (
    <section className="journey-simulation" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Simulation</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run.mutate();
        }}
      >
        <label htmlFor={`${ids}-contact`}>Contact (JSON)</label>
        <textarea
          id={`${ids}-contact`}
          rows={3}
          value={contact}
          onChange={(e) => setContact(e.target.value)}
        />
        <label htmlFor={`${ids}-events`}>Events (JSON list; empty: the trigger event now)</label>
        <textarea
          id={`${ids}-events`}
          rows={3}
          value={events}
          placeholder='[{ "type": "order_completed", "at": "2026-11-01T09:00:00Z", "data": {} }]'
          onChange={(e) => setEvents(e.target.value)}
        />
        <button type="submit" disabled={run.isPending}>
          Simulate
        </button>
      </form>
      {run.isError ? (
        <p role="alert" className="problem">
          {run.error.message}
        </p>
      ) : null}
      {run.data === undefined ? null : (
        <TableScroll label="Simulation timeline">
          <table>
            <caption>
              Timeline of the{' '}
              {run.data.source === 'draft' ? 'saved draft' : `version ${run.data.version ?? ''}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {run.data.timeline.map((entry, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a timeline is shown once, in order, never reordered.
                <tr key={index}>
                  <td>{when(entry.at)}</td>
                  <td>{entry.kind}</td>
                  <td>{entryText(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
};
