import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { SegmentList } from '../../../lib/domain/audience-segment.js';
import { adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

export const SegmentsPage = () => {
  const mayEdit = useMay('marketer');
  const segments = useQuery({
    queryKey: ['segments'],
    queryFn: () => adminApi(SegmentList, 'GET', '/admin/segments'),
  });
  return (
    <>
      <h1>Segments</h1>
      {mayEdit ? (
        <p>
          <Link to="/segments/new">New segment</Link>
        </p>
      ) : null}
      <QueryState query={segments} what="the segments">
        {({ segments: list }) =>
          list.length === 0 ? (
            <p>No segments yet.</p>
          ) : (
            <TableScroll label="Segments">
              <table>
                <caption>Saved audiences; open one to count its members</caption>
                <thead>
                  <tr>
                    <th scope="col">Segment</th>
                    <th scope="col">Live</th>
                    <th scope="col">Version</th>
                    <th scope="col">Changed</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((segment) => (
                    <tr key={segment.id}>
                      <th scope="row">
                        <Link to={`/segments/${segment.id}`}>{segment.name}</Link>
                        <span className="id">{segment.id}</span>
                      </th>
                      <td>{segment.live ? 'yes' : 'no'}</td>
                      <td>v{segment.version}</td>
                      <td>{when(segment.updatedAt)}</td>
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
