import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { SegmentList } from '../../../lib/domain/audience-segment.js';
import { type CampaignSchedule, SavedCampaign } from '../../../lib/domain/campaign.js';
import { CampaignValidationReport } from '../../../lib/domain/campaign-details.js';
import { adminApi } from '../admin-api.js';
import { FieldProblem, fieldProblems, useChecked } from '../field-problems.js';
import { QueryState } from '../query-state.js';

/**
 * A new campaign, as a draft: who (a segment, optionally a topic), what (an
 * email template, optionally two subject lines to test), when (now, at an
 * instant, or at a local time in each contact's zone), and the holdout.
 * It is checked by the API as it is filled in; launching is on its own page.
 */
export const CampaignEditorPage = () => {
  const segments = useQuery({
    queryKey: ['segments'],
    queryFn: () => adminApi(SegmentList, 'GET', '/admin/segments'),
  });
  return (
    <>
      <h1>New campaign</h1>
      <QueryState query={segments} what="the segments">
        {({ segments: list }) => <CampaignForm segmentIds={list.map((segment) => segment.id)} />}
      </QueryState>
    </>
  );
};

type ScheduleKind = CampaignSchedule['kind'];

const checkCampaign = async (campaignId: string, body: unknown) =>
  (
    await adminApi(
      CampaignValidationReport,
      'POST',
      `/admin/campaigns/${encodeURIComponent(campaignId)}/validate`,
      body,
    )
  ).problems;

const CampaignForm = ({ segmentIds }: { segmentIds: string[] }) => {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [segmentId, setSegmentId] = useState(segmentIds[0] ?? '');
  const [templateId, setTemplateId] = useState('');
  const [scheduleKind, setScheduleKind] = useState<ScheduleKind>('now');
  const [at, setAt] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('10:00');
  const [holdout, setHoldout] = useState(10);
  const [subjectA, setSubjectA] = useState('');
  const [subjectB, setSubjectB] = useState('');
  const schedule =
    scheduleKind === 'now'
      ? { kind: 'now' }
      : scheduleKind === 'at'
        ? { kind: 'at', at: at === '' ? '' : new Date(at).toISOString() }
        : { kind: 'local', date, time };
  const variants =
    subjectA.trim() === '' || subjectB.trim() === ''
      ? {}
      : {
          variants: [
            { id: 'a', subject: subjectA.trim() },
            { id: 'b', subject: subjectB.trim() },
          ],
        };
  const definition = {
    id,
    name,
    audience: { segmentId },
    channel: { kind: 'email', templateId },
    schedule,
    holdout,
    ...variants,
  };
  const problems = useChecked(
    JSON.stringify(definition),
    useCallback((body: unknown) => checkCampaign(id, body), [id]),
    id !== '',
  );
  const save = useMutation({
    mutationFn: () =>
      adminApi(SavedCampaign, 'PUT', `/admin/campaigns/${encodeURIComponent(id)}`, definition),
    onSuccess: (saved) => navigate(`/campaigns/${saved.definition.id}`),
  });
  const { at: problemAt, describe: described } = fieldProblems(problems);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const Problem = ({ path }: { path: string }) => <FieldProblem path={path} problem={problemAt(path)} />;
  return (
    <form onSubmit={submit} className="editor">
      <label htmlFor="campaign-id">Id (letters, digits and -)</label>
      <input
        id="campaign-id"
        required
        value={id}
        onChange={(event) => setId(event.target.value)}
        {...described('id')}
      />
      <Problem path="id" />
      <label htmlFor="campaign-name">Name</label>
      <input
        id="campaign-name"
        required
        value={name}
        onChange={(event) => setName(event.target.value)}
        {...described('name')}
      />
      <Problem path="name" />
      <label htmlFor="campaign-segment">Segment</label>
      <select id="campaign-segment" value={segmentId} onChange={(event) => setSegmentId(event.target.value)}>
        {segmentIds.map((segment) => (
          <option key={segment} value={segment}>
            {segment}
          </option>
        ))}
      </select>
      <Problem path="audience" />
      <label htmlFor="campaign-template">Email template id</label>
      <input
        id="campaign-template"
        required
        value={templateId}
        onChange={(event) => setTemplateId(event.target.value)}
        {...described('channel.templateId')}
      />
      <Problem path="channel" />
      <fieldset>
        <legend>When it goes out</legend>
        {(
          [
            ['now', 'As soon as it is launched'],
            ['at', 'At a moment'],
            ['local', 'At a time of day, in each contact’s own zone'],
          ] as const
        ).map(([kind, label]) => (
          <label key={kind} className="checkbox">
            <input
              type="radio"
              name="schedule"
              value={kind}
              checked={scheduleKind === kind}
              onChange={() => setScheduleKind(kind)}
            />{' '}
            {label}
          </label>
        ))}
        {scheduleKind === 'at' ? (
          <>
            <label htmlFor="campaign-at">Moment (your time zone)</label>
            <input
              id="campaign-at"
              type="datetime-local"
              value={at}
              onChange={(event) => setAt(event.target.value)}
            />
          </>
        ) : null}
        {scheduleKind === 'local' ? (
          <>
            <label htmlFor="campaign-date">Date</label>
            <input
              id="campaign-date"
              type="date"
              value={date}
              onChange={(event) => setDate(event.target.value)}
            />
            <label htmlFor="campaign-time">Time of day</label>
            <input
              id="campaign-time"
              type="time"
              value={time}
              onChange={(event) => setTime(event.target.value)}
            />
          </>
        ) : null}
      </fieldset>
      <Problem path="schedule" />
      <label htmlFor="campaign-holdout">Held out as the control group (%)</label>
      <input
        id="campaign-holdout"
        type="number"
        min={0}
        max={50}
        value={holdout}
        onChange={(event) => setHoldout(Number(event.target.value))}
        {...described('holdout')}
      />
      <Problem path="holdout" />
      <fieldset>
        <legend>Two subject lines to test (optional)</legend>
        <label htmlFor="subject-a">Subject A</label>
        <input id="subject-a" value={subjectA} onChange={(event) => setSubjectA(event.target.value)} />
        <label htmlFor="subject-b">Subject B</label>
        <input id="subject-b" value={subjectB} onChange={(event) => setSubjectB(event.target.value)} />
      </fieldset>
      <Problem path="variants" />
      <button type="submit" disabled={save.isPending || id === '' || problems.length > 0}>
        Save as a draft
      </button>
      {save.isError ? (
        <p role="alert" className="problem">
          {save.error.message}
        </p>
      ) : null}
    </form>
  );
};
