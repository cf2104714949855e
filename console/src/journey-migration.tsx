import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { JourneyJobList, JourneyMigration } from '../../lib/domain/journey-answers.js';
import { type JourneyDefinition, PublishedJourney, pauses } from '../../lib/domain/journey-definition.js';
import type { JourneyJob } from '../../lib/domain/journey-job.js';
import type { Problem } from '../../lib/domain/problem.js';
import { AdminApiError, adminApi } from './admin-api.js';
import { useMay } from './caller.js';
import { FieldProblem, fieldProblems } from './field-problems.js';
import { count, QueryState, when } from './query-state.js';
import { TableScroll } from './table-scroll.js';

const useVersion = (path: string, version: number) =>
  useQuery({
    queryKey: ['journey-definition', path, version],
    queryFn: () => adminApi(PublishedJourney, 'GET', `${path}/versions/${version}`),
    staleTime: Infinity,
  });

/** Where each resting node of the old version goes unless the marketer says otherwise: a node of its id and type. */
const impliedTarget = (node: JourneyDefinition['nodes'][number], to: JourneyDefinition): string =>
  to.nodes.find((candidate) => candidate.id === node.id && candidate.type === node.type)?.id ?? '';

const problemsOf = (error: Error | null): Problem[] =>
  error instanceof AdminApiError
    ? Object.entries(error.fields).map(([path, message]) => ({ path, message }))
    : [];

const running = (jobs: readonly JourneyJob[]): boolean => jobs.some((job) => job.status === 'pending');

const describeWork = (job: JourneyJob): string => {
  switch (job.work.kind) {
    case 'migrate':
      return `Migration v${job.work.fromVersion} → v${job.work.toVersion}`;
    case 'archive':
      return 'Archive: ending running enrollments';
    case 'date-backfill':
      return 'Filing date timers';
    default:
      return job.work.kind;
  }
};

/**
 * Moving the running enrollments of one published version onto another: the
 * waits of the old version mapped to waits of the new one (same type), sent to
 * the API, whose objections are shown beside the wait they name. The move runs
 * in the background; its progress is listed here and survives leaving the page.
 */
export const JourneyMigrationPanel = ({ path, versions }: { path: string; versions: readonly number[] }) => {
  const ids = useId();
  const mayMigrate = useMay('marketer');
  const queries = useQueryClient();
  const newest = versions.at(-1) ?? 1;
  const [from, setFrom] = useState(versions.at(-2) ?? newest);
  const [to, setTo] = useState(newest);
  const jobs = useQuery({
    queryKey: ['journey-jobs', path],
    queryFn: () => adminApi(JourneyJobList, 'GET', `${path}/jobs`),
    refetchInterval: (query) =>
      query.state.data !== undefined && running(query.state.data.jobs) ? 2_000 : false,
  });
  return (
    <section aria-labelledby={`${ids}-migration`}>
      <h2 id={`${ids}-migration`}>Migration</h2>
      <p>
        Enrollments stay on the version they started on. Migrating moves those waiting in an older version
        onto a newer one: each wait carries on at the wait it is mapped to, with its due time kept.
      </p>
      {!mayMigrate || versions.length < 2 ? null : (
        <>
          <div className="migration-versions">
            <label htmlFor={`${ids}-from`}>Move enrollments of</label>
            <select id={`${ids}-from`} value={from} onChange={(event) => setFrom(Number(event.target.value))}>
              {versions.map((version) => (
                <option key={version} value={version}>
                  v{version}
                </option>
              ))}
            </select>
            <label htmlFor={`${ids}-to`}>onto</label>
            <select id={`${ids}-to`} value={to} onChange={(event) => setTo(Number(event.target.value))}>
              {versions.map((version) => (
                <option key={version} value={version}>
                  v{version}
                </option>
              ))}
            </select>
          </div>
          {from === to ? (
            <p>Choose two different versions.</p>
          ) : (
            <MigrationForm
              key={`${from} ${to}`}
              path={path}
              from={from}
              to={to}
              onQueued={() => queries.invalidateQueries({ queryKey: ['journey-jobs', path] })}
            />
          )}
        </>
      )}
      <QueryState query={jobs} what="the journey's background work">
        {({ jobs: list }) =>
          list.length === 0 ? (
            <p>No background work on this journey yet.</p>
          ) : (
            <TableScroll label="Background work">
              <table>
                <caption>Background work, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Work</th>
                    <th scope="col">Status</th>
                    <th scope="col">Looked at</th>
                    <th scope="col">Moved or changed</th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((job) => (
                    <tr key={job.id}>
                      <th scope="row">{describeWork(job)}</th>
                      <td>
                        <span className={`status status-${job.status}`}>{job.status}</span>
                        {job.error === undefined ? null : ` ${job.error}`}
                      </td>
                      <td>{count(job.counts.seen)}</td>
                      <td>{count(job.counts.changed)}</td>
                      <td>{when(job.createdAt)}</td>
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

const MigrationForm = (props: { path: string; from: number; to: number; onQueued: () => Promise<void> }) => {
  const before = useVersion(props.path, props.from);
  const after = useVersion(props.path, props.to);
  return (
    <QueryState query={before} what={`v${props.from}`}>
      {(oldVersion) => (
        <QueryState query={after} what={`v${props.to}`}>
          {(newVersion) => (
            <MappingForm {...props} oldVersion={oldVersion.definition} newVersion={newVersion.definition} />
          )}
        </QueryState>
      )}
    </QueryState>
  );
};

const MappingForm = ({
  path,
  from,
  to,
  onQueued,
  oldVersion,
  newVersion,
}: {
  path: string;
  from: number;
  to: number;
  onQueued: () => Promise<void>;
  oldVersion: JourneyDefinition;
  newVersion: JourneyDefinition;
}) => {
  const ids = useId();
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const migrate = useMutation({
    mutationFn: (mapping: Record<string, string>) =>
      adminApi(JourneyMigration, 'POST', `${path}/migrate`, { from, to, mapping }),
    onSuccess: onQueued,
  });
  const waits = oldVersion.nodes.filter(pauses);
  const targetOf = (node: (typeof waits)[number]): string =>
    chosen[node.id] ?? impliedTarget(node, newVersion);
  const problems = fieldProblems(problemsOf(migrate.error));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const mapping = Object.fromEntries(
      waits.flatMap((node) => (targetOf(node) === '' ? [] : [[node.id, targetOf(node)]])),
    );
    if (window.confirm(`Move the enrollments waiting in v${from} onto v${to}?`)) migrate.mutate(mapping);
  };
  if (waits.length === 0)
    return <p>v{from} has no waits, so no enrollment rests in it for long: there is nothing to map.</p>;
  return (
    <form onSubmit={submit} aria-labelledby={`${ids}-legend`}>
      <fieldset>
        <legend id={`${ids}-legend`}>
          Where each wait of v{from} carries on in v{to}
        </legend>
        {waits.map((node) => {
          const field = `mapping.${node.id}`;
          const choices = newVersion.nodes.filter((candidate) => candidate.type === node.type);
          return (
            <div key={node.id} className="field">
              <label htmlFor={`${ids}-${node.id}`}>
                {node.id} ({node.type})
              </label>
              <select
                id={`${ids}-${node.id}`}
                value={targetOf(node)}
                onChange={(event) => setChosen({ ...chosen, [node.id]: event.target.value })}
                {...problems.describe(field)}
              >
                <option value="">(not mapped)</option>
                {choices.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.id}
                  </option>
                ))}
              </select>
              <FieldProblem path={field} problem={problems.at(field)} />
            </div>
          );
        })}
      </fieldset>
      <button type="submit" disabled={migrate.isPending}>
        Migrate
      </button>
      <div aria-live="polite">
        {migrate.isError ? (
          <div role="alert" className="problem">
            <p>{migrate.error.message}</p>
            {problemsOf(migrate.error)
              .filter((problem) => !problem.path.startsWith('mapping.'))
              .map((problem) => (
                <p key={`${problem.path} ${problem.message}`}>{problem.message}</p>
              ))}
          </div>
        ) : null}
        {migrate.isSuccess ? (
          <p className="said">
            Migration queued: {Object.keys(migrate.data.mapping).length} waits mapped. Its progress is below.
          </p>
        ) : null}
      </div>
    </form>
  );
};
