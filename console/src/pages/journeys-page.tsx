import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { JourneyList } from '../../../lib/domain/journey-summary.js';
import { adminApi } from '../admin-api.js';
import { QueryState } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

export const JourneysPage = () => {
  const journeys = useQuery({
    queryKey: ['journeys'],
    queryFn: () => adminApi(JourneyList, 'GET', '/admin/journeys'),
  });
  return (
    <>
      <h1>Journeys</h1>
      <QueryState query={journeys} what="the journeys">
        {({ journeys: list }) =>
          list.length === 0 ? (
            <p>No journeys yet.</p>
          ) : (
            <TableScroll label="Journeys">
              <table>
                <caption>Every journey, with its status and latest version</caption>
                <thead>
                  <tr>
                    <th scope="col">Journey</th>
                    <th scope="col">Status</th>
                    <th scope="col">Version</th>
                    <th scope="col">Trigger</th>
                    <th scope="col">Draft</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((journey) => (
                    <tr key={journey.journeyId}>
                      <th scope="row">
                        <Link to={encodeURIComponent(journey.journeyId)}>{journey.name}</Link>
                        <span className="id">{journey.journeyId}</span>
                      </th>
                      <td>
                        <span className={`status status-${journey.status}`}>{journey.status}</span>
                      </td>
                      <td>{journey.latestVersion === 0 ? '–' : `v${journey.latestVersion}`}</td>
                      <td>{journey.triggerEvent ?? '–'}</td>
                      <td>{journey.hasDraft ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryState>
    </>
  );
};
