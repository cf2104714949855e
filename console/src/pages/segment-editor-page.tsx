import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PutSegmentResult, SavedSegment, SegmentValidation } from '../../../lib/domain/audience-segment.js';
import { adminApi } from '../admin-api.js';
import { FieldProblem, fieldProblems, useChecked } from '../field-problems.js';
import { QueryState } from '../query-state.js';

const checkSegment = async (body: unknown) =>
  (await adminApi(SegmentValidation, 'POST', '/admin/segments/validate', body)).problems;

/** A new segment (`/segments/new`) or a change to one (`/segments/:id/edit`). */
export const SegmentEditorPage = () => {
  const id = useParams().id;
  const existing = useQuery({
    queryKey: ['segment', id ?? ''],
    queryFn: () => adminApi(SavedSegment, 'GET', `/admin/segments/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
  });
  if (id === undefined) return <SegmentForm />;
  return (
    <QueryState query={existing} what="the segment">
      {(segment) => <SegmentForm saved={segment} />}
    </QueryState>
  );
};

/** The condition as the marketer types it: JSON, read as they go. */
const conditionOf = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const SegmentForm = ({ saved }: { saved?: SavedSegment }) => {
  const navigate = useNavigate();
  const [segmentId, setSegmentId] = useState(saved?.id ?? '');
  const [name, setName] = useState(saved?.name ?? '');
  const [description, setDescription] = useState(saved?.description ?? '');
  const [condition, setCondition] = useState(
    JSON.stringify(saved?.condition ?? { 'contact.consent.email.status': 'subscribed' }, null, 2),
  );
  const [live, setLive] = useState(saved?.live ?? false);
  const parsedCondition = conditionOf(condition);
  const definition = {
    id: segmentId,
    name,
    ...(description.trim() === '' ? {} : { description }),
    condition: parsedCondition,
    live,
  };
  const problems = useChecked(JSON.stringify(definition), checkSegment);
  const save = useMutation({
    mutationFn: () =>
      adminApi(PutSegmentResult, 'PUT', `/admin/segments/${encodeURIComponent(segmentId)}`, {
        ...definition,
        ...(saved === undefined ? {} : { version: saved.version }),
      }),
    onSuccess: (answer) => navigate(`/segments/${answer.segment.id}`),
  });
  const { at: problemAt, describe: field } = fieldProblems(problems);
  const conditionProblem =
    parsedCondition === undefined
      ? 'is not JSON yet'
      : problemAt('condition') === ''
        ? undefined
        : problemAt('condition');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <h1>{saved === undefined ? 'New segment' : `Edit ${saved.name}`}</h1>
      <form onSubmit={submit} className="editor">
        <label htmlFor="id">Id</label>
        <input
          id="id"
          required
          value={segmentId}
          readOnly={saved !== undefined}
          onChange={(event) => setSegmentId(event.target.value)}
          {...field('id')}
        />
        <FieldProblem path="id" problem={problemAt('id')} />
        <label htmlFor="name">Name</label>
        <input
          id="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...field('name')}
        />
        <FieldProblem path="name" problem={problemAt('name')} />
        <label htmlFor="description">Description</label>
        <input
          id="description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <label htmlFor="condition">
          Condition (JSON, as journey conditions, with $within / $before / $after)
        </label>
        <textarea
          id="condition"
          rows={10}
          spellCheck={false}
          value={condition}
          onChange={(event) => setCondition(event.target.value)}
          {...field('condition', conditionProblem)}
        />
        <FieldProblem path="condition" problem={conditionProblem} />
        <label className="checkbox">
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} /> Live:
          write segment_entered and segment_exited events as contacts change
        </label>
        <button
          type="submit"
          disabled={save.isPending || problems.length > 0 || parsedCondition === undefined}
        >
          {saved === undefined ? 'Create segment' : 'Save segment'}
        </button>
        {save.isError ? (
          <p role="alert" className="problem">
            {save.error.message}
          </p>
        ) : null}
      </form>
    </>
  );
};
