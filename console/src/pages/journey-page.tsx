import type { Diagnostic } from '@codemirror/lint';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { parseDocument, stringify } from 'yaml';
import { jsonSchemas } from '../../../lib/content/json-schemas.js';
import {
  JourneyDetails,
  JourneyDraft,
  JourneyPublished,
  JourneyReportAnswer,
  JourneyStats,
  JourneyStatusChanged,
  JourneyVersions,
  ValidationReport,
} from '../../../lib/domain/journey-answers.js';
import { AdminApiError, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { JourneyEditor } from '../journey-editor.js';
import { JourneyFlow } from '../journey-flow.js';
import { graphOf, nodeCounts, totalCounts } from '../journey-graph.js';
import { LiftChart } from '../journey-lift-chart.js';
import { JourneyMigrationPanel } from '../journey-migration.js';
import { JourneySimulationPanel } from '../journey-simulation.js';
import { JourneyVersionDiff } from '../journey-version-diff.js';
import { placeOfPath } from '../journey-yaml-lines.js';
import { count, QueryState, rateText, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

type Action = 'publish' | 'pause' | 'resume' | 'archive';

const actionsFor = (journey: JourneyDetails): Action[] => {
  const actions: Action[] = [];
  if (journey.hasDraft && journey.status !== 'archived') actions.push('publish');
  if (journey.status === 'active') actions.push('pause');
  if (journey.status === 'paused') actions.push('resume');
  if (journey.status === 'active' || journey.status === 'paused') actions.push('archive');
  return actions;
};

const capital = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

/** The UTC days of the last `days` days, as the stats and report ranges take them. */
const rangeOf = (days: number): string => {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return `from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}`;
};

const yamlOf = (definition: unknown): string => stringify(definition, { lineWidth: 0 });

/** What the draft editor completes keys and values from: the schema editors outside the console use too. */
const journeySchema = jsonSchemas()['journey.schema.json'];

export const JourneyPage = () => {
  const id = useParams().id ?? '';
  const path = `/admin/journeys/${encodeURIComponent(id)}`;
  const journey = useQuery({
    queryKey: ['journey', id],
    queryFn: () => adminApi(JourneyDetails, 'GET', path),
  });
  return (
    <QueryState query={journey} what="the journey">
      {(details) => <JourneyView details={details} path={path} />}
    </QueryState>
  );
};

const JourneyView = ({ details, path }: { details: JourneyDetails; path: string }) => {
  const ids = useId();
  const queries = useQueryClient();
  const mayChange = useMay('marketer');
  const id = details.journeyId;
  const [days, setDays] = useState(30);
  const stats = useQuery({
    queryKey: ['journey-stats', id, days],
    queryFn: () => adminApi(JourneyStats, 'GET', `${path}/stats?${rangeOf(days)}`),
  });
  const report = useQuery({
    queryKey: ['journey-report', id, days],
    queryFn: () => adminApi(JourneyReportAnswer, 'GET', `${path}/report?${rangeOf(days)}`),
  });
  const versions = useQuery({
    queryKey: ['journey-versions', id],
    queryFn: () => adminApi(JourneyVersions, 'GET', `${path}/versions`),
  });
  const savedText = useMemo(
    () => yamlOf(details.draft?.definition ?? details.latest?.definition ?? { id, name: details.name }),
    [details, id],
  );
  const text = useRef(savedText);
  const [drawn, setDrawn] = useState<unknown>(details.draft?.definition ?? details.latest?.definition);
  const [problems, setProblems] = useState<Array<{ line: number; text: string }>>([]);
  const [said, setSaid] = useState('');

  const check = useCallback(
    async (yaml: string): Promise<Diagnostic[]> => {
      const document = parseDocument(yaml, { prettyErrors: false });
      const syntax: Diagnostic[] = document.errors.map((error) => ({
        from: error.pos[0],
        to: Math.max(error.pos[0], error.pos[1]),
        severity: 'error',
        message: error.message,
      }));
      let diagnostics: Diagnostic[] = syntax;
      if (syntax.length === 0) {
        const definition: unknown = document.toJS();
        setDrawn(definition);
        const answer = await adminApi(ValidationReport, 'POST', `${path}/validate`, definition ?? {});
        diagnostics = answer.problems.map((problem): Diagnostic => {
          const place = placeOfPath(yaml, problem.path);
          return {
            from: place.from,
            to: place.to,
            severity: 'error',
            message: `${problem.path}: ${problem.message}`,
          };
        });
      }
      setProblems(
        diagnostics.map((diagnostic) => ({
          line: lineAt(yaml, diagnostic.from),
          text: diagnostic.message,
        })),
      );
      return diagnostics;
    },
    [path],
  );

  const refresh = () =>
    Promise.all(
      [['journey', id], ['journeys'], ['journey-versions', id]].map((queryKey) =>
        queries.invalidateQueries({ queryKey }),
      ),
    );
  const save = useMutation({
    mutationFn: () =>
      adminApi(JourneyDraft, 'PUT', `${path}/draft`, parseDocument(text.current).toJS() ?? {}),
    onSuccess: async (draft) => {
      setSaid(`Draft saved (revision ${draft.revision}).`);
      await refresh();
    },
  });
  const act = useMutation({
    mutationFn: async (action: Action) =>
      action === 'publish'
        ? `Published version ${(await adminApi(JourneyPublished, 'POST', `${path}/publish`)).version}.`
        : `The journey is ${(await adminApi(JourneyStatusChanged, 'POST', `${path}/${action}`)).status}.`,
    onSuccess: async (result) => {
      setSaid(result);
      await refresh();
    },
  });

  const graph = useMemo(() => graphOf(drawn), [drawn]);
  const counts = useCallback((nodeId: string) => nodeCounts(stats.data?.days ?? [], nodeId), [stats.data]);
  const totals = totalCounts(stats.data?.days ?? []);

  return (
    <>
      <h1>{details.name}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`status status-${details.status}`}>{details.status}</span>
        </dd>
        <dt>Latest version</dt>
        <dd>
          {details.latest === null
            ? 'none yet'
            : `v${details.latest.version}, published ${when(details.latest.publishedAt)}`}
        </dd>
        <dt>Draft</dt>
        <dd>
          {details.draft === null
            ? 'none'
            : `revision ${details.draft.revision}, saved ${when(details.draft.updatedAt)}`}
        </dd>
      </dl>
      {!mayChange || actionsFor(details).length === 0 ? null : (
        <div className="actions">
          {actionsFor(details).map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'archive' ? 'danger' : undefined}
              disabled={act.isPending}
              onClick={() => {
                if (window.confirm(`${capital(action)} “${details.name}”?`)) act.mutate(action);
              }}
            >
              {capital(action)}
            </button>
          ))}
        </div>
      )}
      <p aria-live="polite" className="said">
        {said}
      </p>
      {act.isError ? <ProblemText error={act.error} /> : null}

      <div className="journey-workspace">
        <section aria-labelledby={`${ids}-graph`}>
          <h2 id={`${ids}-graph`}>Graph</h2>
          <label htmlFor={`${ids}-days`}>Counts over</label>{' '}
          <select id={`${ids}-days`} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={7}>the last 7 days</option>
            <option value={30}>the last 30 days</option>
            <option value={90}>the last 90 days</option>
          </select>
          <p className="journey-totals">
            {['entered:treatment', 'entered:control', 'sent', 'completed', 'exited', 'errors']
              .map((metric) => `${metric.replace(':', ' ')} ${count(totals[metric] ?? 0)}`)
              .join(' · ')}
          </p>
          {graph.nodes.length === 0 ? (
            <p>Nothing to draw: the YAML has no nodes yet.</p>
          ) : (
            <JourneyFlow graph={graph} counts={counts} />
          )}
        </section>
        <JourneySimulationPanel path={path} />
      </div>

      <section aria-labelledby={`${ids}-draft`}>
        <h2 id={`${ids}-draft`}>Draft</h2>
        <p>
          Problems are marked at their line as you type; the graph redraws from the draft whenever it reads as
          YAML. Ctrl+Space suggests the keys and values allowed where the cursor is.
        </p>
        <JourneyEditor
          initial={savedText}
          label="Draft YAML"
          schema={journeySchema}
          onChange={(value) => {
            text.current = value;
          }}
          check={check}
        />
        <ul className="journey-problems" aria-live="polite" aria-label="Problems in the draft">
          {problems.map((problem) => (
            <li key={`${problem.line} ${problem.text}`}>
              Line {problem.line}: {problem.text}
            </li>
          ))}
        </ul>
        {mayChange ? (
          <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
            Save draft
          </button>
        ) : null}
        {save.isError ? <ProblemText error={save.error} /> : null}
      </section>

      <section aria-labelledby={`${ids}-versions`}>
        <h2 id={`${ids}-versions`}>Versions</h2>
        <QueryState query={versions} what="the versions">
          {({ versions: list }) =>
            list.length === 0 ? (
              <p>Not published yet.</p>
            ) : (
              <TableScroll label="Published versions">
                <table>
                  <caption>Every published version</caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Name</th>
                      <th scope="col">Published</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((version) => (
                      <tr key={version.version}>
                        <th scope="row">v{version.version}</th>
                        <td>{version.name}</td>
                        <td>{when(version.publishedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )
          }
        </QueryState>
        {versions.data === undefined ? null : (
          <JourneyVersionDiff
            path={path}
            details={details}
            versions={versions.data.versions.map((version) => version.version)}
          />
        )}
      </section>

      {versions.data === undefined ? null : (
        <JourneyMigrationPanel
          path={path}
          versions={versions.data.versions.map((version) => version.version)}
        />
      )}

      <section aria-labelledby={`${ids}-report`}>
        <h2 id={`${ids}-report`}>Holdout report</h2>
        <QueryState query={report} what="the report">
          {(answer) => (
            <>
              <p>
                {answer.from} to {answer.to}: treatment {count(answer.holdout.treatment.members)} members,{' '}
                {count(answer.holdout.treatment.conversions)} converted; control{' '}
                {count(answer.holdout.control.members)} members, {count(answer.holdout.control.conversions)}{' '}
                converted.
              </p>
              <LiftChart report={answer} />
              <p>
                Its mail (SES): {count(answer.email.sent)} sent, {count(answer.email.delivered)} delivered,{' '}
                {count(answer.email.bounced)} bounced (bounce rate {rateText(answer.email.bounceRate)}),{' '}
                {count(answer.email.complained)} complained (complaint rate{' '}
                {rateText(answer.email.complaintRate)}).
              </p>
            </>
          )}
        </QueryState>
      </section>
    </>
  );
};

/** The 1-based line of a character offset. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

const ProblemText = ({ error }: { error: Error }) => (
  <div role="alert" className="problem">
    <p>{error.message}</p>
    {error instanceof AdminApiError && Object.keys(error.fields).length > 0 ? (
      <ul>
        {Object.entries(error.fields).map(([field, message]) => (
          <li key={field}>
            {field}: {message}
          </li>
        ))}
      </ul>
    ) : null}
  </div>
);
