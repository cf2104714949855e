import { DateTime } from 'luxon';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type {
  DayStats,
  JourneyDetails,
  JourneyJobList,
  JourneyMigration,
  JourneyPublished,
  JourneyStats,
  JourneyStatusChanged,
  JourneyVersions,
  ValidationReport,
} from '../domain/journey-answers.js';
import { JourneyDefinition, type PublishedJourney, templatesUsed } from '../domain/journey-definition.js';
import { effectiveMapping, mappingProblems } from '../domain/migration.js';
import { groupByNode, statsScope } from '../domain/stats-keys.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyDraft, JourneyStatus, JourneyStore, JourneySummary } from '../ports/journey-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { definitionProblems, templateProblem } from './admin/definition-problems.js';
import { type Problem, problemsOf, refuse } from './admin/problems.js';
import { backfillDateTrigger, type EnqueueJobDeps, enqueueJourneyJob } from './journey-jobs.js';

export interface ManageJourneysDeps extends EnqueueJobDeps {
  journeys: JourneyStore;
  templates: TemplateStore;
  stats: StatsStore;
  clock: Clock;
}

const summaryOf = async (deps: ManageJourneysDeps, journeyId: string): Promise<JourneySummary> => {
  const summary = await deps.journeys.summary(journeyId);
  if (summary === undefined) throw new NotFoundError(`there is no journey "${journeyId}"`);
  return summary;
};

export const listJourneys = async (deps: ManageJourneysDeps): Promise<{ journeys: JourneySummary[] }> => ({
  journeys: (await deps.journeys.list()).sort((a, b) => a.journeyId.localeCompare(b.journeyId)),
});

export const getJourney = async (deps: ManageJourneysDeps, journeyId: string): Promise<JourneyDetails> => {
  const [summary, draft] = await Promise.all([summaryOf(deps, journeyId), deps.journeys.getDraft(journeyId)]);
  const latest =
    summary.latestVersion === 0
      ? undefined
      : await deps.journeys.getVersion(journeyId, summary.latestVersion);
  return {
    ...summary,
    latest:
      latest === undefined
        ? null
        : { version: latest.version, publishedAt: latest.publishedAt, definition: latest.definition },
    draft: draft ?? null,
  };
};

const journeyProblems = (journeyId: string, input: unknown) =>
  definitionProblems(JourneyDefinition, 'journey', journeyId, input);

/** Every template the journey sends must be published. */
const templateProblems = async (
  deps: ManageJourneysDeps,
  definition: JourneyDefinition,
): Promise<Problem[]> => {
  const problems = await Promise.all(
    templatesUsed(definition).map(({ template, path }) => templateProblem(deps.templates, template, path)),
  );
  return problems.filter((problem) => problem !== undefined);
};

const fullValidation = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  input: unknown,
): Promise<{ definition: JourneyDefinition | undefined; problems: Problem[] }> => {
  const checked = journeyProblems(journeyId, input);
  if (checked.definition === undefined) return checked;
  return { definition: checked.definition, problems: await templateProblems(deps, checked.definition) };
};

const refuseIfArchived = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  doing: string,
): Promise<void> => {
  if ((await deps.journeys.status(journeyId)) === 'archived') {
    throw new ConflictError(`journey "${journeyId}" is archived; it cannot ${doing}`);
  }
};

/** Stores the definition as the journey's draft, replacing any earlier one. Templates are checked at publish. */
export const putJourneyDraft = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  body: unknown,
): Promise<JourneyDraft> => {
  const { definition, problems } = journeyProblems(journeyId, body);
  if (definition === undefined) {
    throw refuse(problems, 'the journey definition is not valid; nothing was stored');
  }
  await refuseIfArchived(deps, journeyId, 'take a new draft');
  return deps.journeys.putDraft(definition, deps.clock.now());
};

const draftOf = async (deps: ManageJourneysDeps, journeyId: string, doing: string): Promise<JourneyDraft> => {
  const draft = await deps.journeys.getDraft(journeyId);
  if (draft === undefined) {
    throw new ConflictError(
      `journey "${journeyId}" has no draft to ${doing}; PUT /admin/journeys/${journeyId}/draft first`,
    );
  }
  return draft;
};

/** Validates the body if one is given, else the stored draft: schema, and that every template it sends exists. */
export const validateJourney = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  body: unknown,
): Promise<ValidationReport> => {
  const input = body === undefined ? (await draftOf(deps, journeyId, 'validate')).definition : body;
  const { problems } = await fullValidation(deps, journeyId, input);
  return { valid: problems.length === 0, problems };
};

/** Turns the draft into the next immutable version; new entries use it, running enrollments keep theirs. */
export const publishJourney = async (
  deps: ManageJourneysDeps,
  journeyId: string,
): Promise<JourneyPublished> => {
  await refuseIfArchived(deps, journeyId, 'be published again');
  const draft = await draftOf(deps, journeyId, 'publish');
  const { definition, problems } = await fullValidation(deps, journeyId, draft.definition);
  if (definition === undefined || problems.length > 0) {
    throw refuse(problems, 'the draft is not valid; nothing was published');
  }
  const published = await deps.journeys.publishDraft(definition, draft.revision, deps.clock.now());
  await backfillDateTrigger(deps, published);
  return {
    journeyId,
    version: published.version,
    publishedAt: published.publishedAt,
    status: published.status,
  };
};

export const StatusAction = z.enum(['pause', 'resume', 'archive']);
export type StatusAction = z.infer<typeof StatusAction>;

/**
 * What each action does from each status: the next status, nothing (already
 * there), or a refusal. Archived is final.
 */
const transitions: Record<StatusAction, Record<JourneyStatus, JourneyStatus | 'refuse'>> = {
  pause: { active: 'paused', paused: 'paused', archived: 'refuse' },
  resume: { active: 'active', paused: 'active', archived: 'refuse' },
  archive: { active: 'archived', paused: 'archived', archived: 'archived' },
};

export const changeJourneyStatus = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  action: StatusAction,
): Promise<JourneyStatusChanged> => {
  const summary = await summaryOf(deps, journeyId);
  if (summary.status === 'draft-only') {
    throw new ConflictError(`journey "${journeyId}" has no published version to ${action}; publish it first`);
  }
  const next = transitions[action][summary.status];
  if (next === 'refuse') {
    throw new ConflictError(`journey "${journeyId}" is ${summary.status}; it cannot ${action}`);
  }
  if (next === summary.status) return { journeyId, status: next };
  await deps.journeys.changeStatus(journeyId, summary.status, next);
  // Running enrollments end now rather than at their next event; new entries stopped with the status.
  if (next === 'archived') await enqueueJourneyJob(deps, journeyId, { kind: 'archive' });
  if (next === 'active') {
    // Date timers that came round while paused were dropped; the next occurrences are filed afresh.
    const latest = await deps.journeys.getVersion(journeyId, summary.latestVersion);
    if (latest !== undefined) await backfillDateTrigger(deps, { ...latest, status: 'active' });
  }
  return { journeyId, status: next };
};

export const MigrationRequest = z
  .object({
    /** The version whose running enrollments move. */
    from: z.number().int().min(1),
    /** The version they move to; the latest when absent. */
    to: z.number().int().min(1).optional(),
    /** Old node → new node, for the waits whose id or type is not the same in both versions. */
    mapping: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const versionOf = async (deps: ManageJourneysDeps, journeyId: string, version: number, field: string) => {
  const found = await deps.journeys.getVersion(journeyId, version);
  if (found === undefined)
    throw refuse(
      [{ path: field, message: `journey "${journeyId}" has no version ${version}` }],
      'nothing was migrated',
    );
  return found;
};

/**
 * Moves the running enrollments of one version onto another, an explicit act
 * with a node mapping checked against both versions. The move itself runs in
 * the background (a job), a page of enrollments at a time.
 */
export const migrateJourney = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  body: unknown,
): Promise<JourneyMigration> => {
  const parsed = MigrationRequest.safeParse(body);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the migration request is not valid');
  const summary = await summaryOf(deps, journeyId);
  if (summary.status === 'archived' || summary.status === 'draft-only') {
    throw new ConflictError(`journey "${journeyId}" is ${summary.status}; there is nothing to migrate`);
  }
  const request = parsed.data;
  const toVersion = request.to ?? summary.latestVersion;
  if (toVersion === request.from)
    throw refuse([{ path: 'to', message: 'must differ from "from"' }], 'nothing was migrated');
  const from = await versionOf(deps, journeyId, request.from, 'from');
  const to = await versionOf(deps, journeyId, toVersion, 'to');
  const problems = mappingProblems(from.definition, to.definition, request.mapping);
  if (problems.length > 0) throw refuse(problems, 'the node mapping does not fit the two versions');
  const mapping = effectiveMapping(from.definition, to.definition, request.mapping);
  const job = await enqueueJourneyJob(deps, journeyId, {
    kind: 'migrate',
    fromVersion: request.from,
    toVersion,
    mapping,
  });
  return { journeyId, job, mapping };
};

/** Background work on the journey (migrations, archive, date backfills), newest first, with progress. */
export const journeyJobs = async (deps: ManageJourneysDeps, journeyId: string): Promise<JourneyJobList> => {
  await summaryOf(deps, journeyId);
  return { journeyId, jobs: await deps.jobs.listForSubject(journeyId) };
};

export const journeyVersions = async (
  deps: ManageJourneysDeps,
  journeyId: string,
): Promise<JourneyVersions> => {
  await summaryOf(deps, journeyId);
  return { journeyId, versions: await deps.journeys.versions(journeyId) };
};

/** One published version with its definition, as the diff between two versions reads it. */
export const getJourneyVersion = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  version: string,
): Promise<PublishedJourney> => {
  const number = z.coerce.number().int().min(1).safeParse(version);
  if (!number.success) throw new ValidationError({ version: 'must be a whole number from 1' });
  const published = await deps.journeys.getVersion(journeyId, number.data);
  if (published === undefined)
    throw new NotFoundError(`journey "${journeyId}" has no version ${number.data}`);
  return published;
};

/** One request reads one counter partition per day; a quarter is as far as one answer goes. */
export const maxStatsDays = 92;
const defaultStatsDays = 30;

const Day = z.iso.date({ error: 'must be a day such as 2026-11-23' });
export const StatsQuery = z.object({ from: Day.optional(), to: Day.optional() });

export type { DayStats };

export const groupCounters = (day: string, counters: Record<string, number>): DayStats => ({
  day,
  ...groupByNode(counters),
});

const daysBetween = (from: DateTime, to: DateTime): string[] => {
  const days: string[] = [];
  for (let day = from; day <= to; day = day.plus({ days: 1 })) days.push(day.toISODate() ?? '');
  return days;
};

/**
 * The days a report asks for with `from` and `to` (UTC days, both optional):
 * the 30 days up to `to` (default today), at most 92; a bad range is a 400
 * naming the field. Every report over days reads its range with this.
 */
export const statsDays = (query: unknown, now: Date): string[] => {
  const parsed = StatsQuery.safeParse(query);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the stats range is not valid');
  const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  const to = parsed.data.to === undefined ? today : DateTime.fromISO(parsed.data.to, { zone: 'utc' });
  const from =
    parsed.data.from === undefined
      ? to.minus({ days: defaultStatsDays - 1 })
      : DateTime.fromISO(parsed.data.from, { zone: 'utc' });
  if (from > to) throw new ValidationError({ from: 'must not be after to' });
  const days = daysBetween(from, to);
  if (days.length > maxStatsDays) {
    throw new ValidationError({
      to: `the range spans ${days.length} days; ask for at most ${maxStatsDays} at a time`,
    });
  }
  return days;
};

/** Daily counters of `journey:<id>`, every day of the range present (empty days too), oldest first. */
export const journeyStats = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  query: unknown,
): Promise<JourneyStats> => {
  const days = statsDays(query, deps.clock.now());
  await summaryOf(deps, journeyId);
  const scope = statsScope.journey(journeyId);
  const counters = await Promise.all(days.map((day) => deps.stats.read(scope, day)));
  return {
    journeyId,
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    days: days.map((day, index) => groupCounters(day, counters[index] ?? {})),
  };
};
