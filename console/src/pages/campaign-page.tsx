import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { CampaignDetails } from '../../../lib/domain/campaign-details.js';
import type { CampaignAction } from '../../../lib/domain/campaign-plan.js';
import type { CampaignFigures, CampaignReport } from '../../../lib/domain/campaign-report.js';
import { CampaignReport as CampaignReportSchema } from '../../../lib/domain/campaign-report.js';
import type { JourneyJob } from '../../../lib/domain/journey-job.js';
import { Anything, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { count, QueryState, rateText, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';
import { scheduleText } from './campaigns-page.js';

const running = (status: string) => status === 'scheduled' || status === 'sending' || status === 'paused';

/** What each job of the campaign has done: the launch's contacts looked at, a send's messages written. */
const jobProgress = (job: JourneyJob): string => {
  switch (job.work.kind) {
    case 'campaign-launch':
      return `froze the audience: ${count(job.counts.seen)} contacts looked at, ${count(job.counts.changed)} recipients`;
    case 'campaign-send':
      return `${job.work.share === 'rest' ? 'the rest, with the winner' : 'sending'}: ${count(job.pacing?.queued ?? 0)} messages written${job.pacing?.lastSendAt === undefined ? '' : `, the last at ${when(job.pacing.lastSendAt)}`}`;
    case 'campaign-finish':
      return 'marks the campaign sent once every message is written';
    default:
      return job.work.kind;
  }
};

const actionsFor = (status: string): CampaignAction[] => {
  if (status === 'draft') return ['launch'];
  if (status === 'scheduled' || status === 'sending') return ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  return [];
};

export const CampaignPage = () => {
  const id = useParams().id ?? '';
  const queries = useQueryClient();
  const path = `/admin/campaigns/${encodeURIComponent(id)}`;
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => adminApi(CampaignDetails, 'GET', path),
    // While it sends, its progress moves: look again every two seconds.
    refetchInterval: (query) =>
      query.state.data !== undefined && running(query.state.data.status) ? 2_000 : false,
  });
  const launched = campaign.data?.launchedAt !== undefined;
  const maySend = useMay('marketer');
  const report = useQuery({
    queryKey: ['campaign-report', id],
    queryFn: () => adminApi(CampaignReportSchema, 'GET', `${path}/report`),
    enabled: launched,
    refetchInterval: campaign.data !== undefined && running(campaign.data.status) ? 5_000 : false,
  });
  const act = useMutation({
    mutationFn: (action: CampaignAction) =>
      adminApi(Anything, 'POST', `${path}/${action}`, { version: campaign.data?.version }),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['campaign', id] }),
        queries.invalidateQueries({ queryKey: ['campaigns'] }),
      ]),
  });
  return (
    <QueryState query={campaign} what="the campaign">
      {(details) => (
        <>
          <h1>{details.definition.name}</h1>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`status status-${details.status}`}>{details.status}</span>
            </dd>
            <dt>Audience</dt>
            <dd>
              segment {details.definition.audience.segmentId}
              {details.definition.audience.topic === undefined
                ? ''
                : `, topic ${details.definition.audience.topic}`}
              , holdout {details.definition.holdout} %
            </dd>
            <dt>Sends</dt>
            <dd>{scheduleText(details.definition.schedule)}</dd>
            <dt>Launched</dt>
            <dd>{when(details.launchedAt)}</dd>
            {details.definition.variants === undefined ? null : (
              <>
                <dt>Variants</dt>
                <dd>
                  {details.definition.variants
                    .map(
                      (variant) =>
                        `${variant.id}: ${variant.subject ?? variant.templateId ?? variant.body ?? ''}`,
                    )
                    .join('; ')}
                  {details.winner === undefined ? '' : ` (winner: ${details.winner})`}
                </dd>
              </>
            )}
          </dl>
          {!maySend || actionsFor(details.status).length === 0 ? null : (
            <div className="actions">
              {actionsFor(details.status).map((action) => (
                <button
                  key={action}
                  type="button"
                  className={action === 'cancel' ? 'danger' : undefined}
                  disabled={act.isPending}
                  onClick={() => {
                    if (
                      window.confirm(
                        `${action[0]?.toUpperCase()}${action.slice(1)} “${details.definition.name}”?`,
                      )
                    )
                      act.mutate(action);
                  }}
                >
                  {`${action[0]?.toUpperCase()}${action.slice(1)}`}
                </button>
              ))}
            </div>
          )}
          {act.isError ? (
            <p role="alert" className="problem">
              {act.error.message}
            </p>
          ) : null}
          {details.jobs.length === 0 ? null : (
            <>
              <h2>Progress</h2>
              <ul className="progress" aria-live="polite">
                {details.jobs.map((job) => (
                  <li key={job.id}>
                    <span className={`status status-${job.status}`}>{job.status}</span> {jobProgress(job)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {launched ? (
            <>
              <h2>Report</h2>
              <QueryState query={report} what="the report">
                {(figures) => <ReportTables report={figures} />}
              </QueryState>
            </>
          ) : null}
        </>
      )}
    </QueryState>
  );
};

const figureRows: Array<[string, (figures: CampaignFigures) => number]> = [
  ['Treatment', (f) => f.audience.treatment],
  ['Control', (f) => f.audience.control],
  ['Sent', (f) => f.sent],
  ['Skipped', (f) => Object.values(f.skipped).reduce((sum, value) => sum + value, 0)],
  ['Deferred', (f) => Object.values(f.deferred).reduce((sum, value) => sum + value, 0)],
  ['Delivered', (f) => f.delivered],
  ['Bounced', (f) => f.bounced],
  ['Complained', (f) => f.complained],
  ['Opened', (f) => f.opened],
  ['Clicked', (f) => f.clicked],
  ['Unsubscribed', (f) => f.unsubscribed],
  ['Attributed orders', (f) => f.attributed.orders],
];

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);

/** Bounces and complaints over SES's sends, as the deliverability page shows them. */
const rateRows: Array<[string, (figures: CampaignFigures) => number | null]> = [
  ['Bounce rate', (f) => f.bounceRate],
  ['Complaint rate', (f) => f.complaintRate],
];

const ReportTables = ({ report }: { report: CampaignReport }) => (
  <>
    <TableScroll label="Report figures">
      <table>
        <caption>
          What the mail did, {report.from} to {report.to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Total</th>
            {report.variants.map((variant) => (
              <th scope="col" key={variant.variant}>
                {variant.variant}
                {report.winner === variant.variant ? ' (winner)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figureRows.map(([label, read]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{count(read(report.total))}</td>
              {report.variants.map((variant) => (
                <td key={variant.variant}>{count(read(variant))}</td>
              ))}
            </tr>
          ))}
          {rateRows.map(([label, read]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{rateText(read(report.total))}</td>
              {report.variants.map((variant) => (
                <td key={variant.variant}>{rateText(read(variant))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
    {report.goal === null ? (
      <p>This campaign has no goal: there is no lift to measure.</p>
    ) : (
      <TableScroll label="Goal, treatment against control">
        <table>
          <caption>
            Goal: {report.goal.event} within {report.goal.within}, treatment against control
          </caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Members</th>
              <th scope="col">Converted</th>
              <th scope="col">Rate</th>
              <th scope="col">Revenue ({report.currency})</th>
            </tr>
          </thead>
          <tbody>
            {(['treatment', 'control'] as const).map((group) => {
              const row = report.goal?.holdout[group];
              return row === undefined ? null : (
                <tr key={group}>
                  <th scope="row">{group}</th>
                  <td>{count(row.members)}</td>
                  <td>{count(row.conversions)}</td>
                  <td>{percent(row.conversionRate)}</td>
                  <td>{row.revenue.toFixed(2)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="lift">
          Lift: {percent(report.goal.holdout.lift.absolute)} absolute
          {report.goal.holdout.lift.interval === null
            ? ''
            : ` (${Math.round(report.goal.holdout.confidence * 100)} % interval ${percent(report.goal.holdout.lift.interval.lower)} to ${percent(report.goal.holdout.lift.interval.upper)})`}
          {report.goal.holdout.lift.significant ? ', significant' : ', not significant'}.
        </p>
      </TableScroll>
    )}
  </>
);
