import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { CampaignSchedule } from '../../../lib/domain/campaign.js';
import { CampaignList } from '../../../lib/domain/campaign-details.js';
import { adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

export const scheduleText = (schedule: CampaignSchedule): string => {
  switch (schedule.kind) {
    case 'now':
      return 'at launch';
    case 'at':
      return when(schedule.at);
    case 'local':
      return `${schedule.time} on ${schedule.date}, in each contact’s zone`;
    default: {
      const unknown: never = schedule;
      return String(unknown);
    }
  }
};

export const CampaignsPage = () => {
  const mayCreate = useMay('marketer');
  const campaigns = useQuery({
    queryKey: ['campaigns'],
    queryFn: () => adminApi(CampaignList, 'GET', '/admin/campaigns'),
  });
  return (
    <>
      <h1>Campaigns</h1>
      {mayCreate ? (
        <p>
          <Link to="/campaigns/new">New campaign</Link>
        </p>
      ) : null}
      <QueryState query={campaigns} what="the campaigns">
        {({ campaigns: list }) =>
          list.length === 0 ? (
            <p>No campaigns yet.</p>
          ) : (
            <TableScroll label="Campaigns">
              <table>
                <caption>One-off mailings to a segment, with their status</caption>
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col">Status</th>
                    <th scope="col">Audience</th>
                    <th scope="col">Sends</th>
                    <th scope="col">Launched</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((campaign) => (
                    <tr key={campaign.definition.id}>
                      <th scope="row">
                        <Link to={`/campaigns/${campaign.definition.id}`}>{campaign.definition.name}</Link>
                        <span className="id">{campaign.definition.id}</span>
                      </th>
                      <td>
                        <span className={`status status-${campaign.status}`}>{campaign.status}</span>
                      </td>
                      <td>
                        {campaign.definition.audience.segmentId}
                        {campaign.definition.audience.topic === undefined
                          ? ''
                          : ` (topic ${campaign.definition.audience.topic})`}
                      </td>
                      <td>{scheduleText(campaign.definition.schedule)}</td>
                      <td>{when(campaign.launchedAt)}</td>
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
