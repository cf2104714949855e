import { z } from 'zod';
import {
  type PutSegmentResult,
  type SavedSegment,
  type SegmentCountView,
  SegmentDefinition,
  SegmentId,
  type SegmentValidation,
} from '../domain/audience-segment.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { type JourneyJob, segmentJobSubject } from '../domain/journey-job.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { SegmentStore } from '../ports/segment-store.js';
import { type Problem, problemsOf, refuse } from './admin/problems.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

export interface ManageSegmentsDeps extends EnqueueJobDeps {
  segments: SegmentStore;
  /** Only to show the addresses of a count's sample. */
  contacts: Pick<ContactStore, 'get'>;
}

/**
 * `POST /admin/segments/validate` is a route of its own, so a segment with that
 * id could be neither read nor replaced.
 */
const reservedIds = new Set(['validate']);

/**
 * What `PUT /admin/segments/{id}` takes: the definition (its `id`, when given,
 * must be the one in the path) and, to replace a segment, the version it was
 * read at. Unknown fields are refused rather than dropped, so a typo such as
 * `condtion` is a 400 that names it instead of a segment that matches everyone.
 */
export const SegmentRequest = SegmentDefinition.extend({
  id: SegmentId.optional(),
  version: z.number().int().min(1).optional(),
}).strict();

const idOf = (segmentId: string): string => {
  const parsed = SegmentId.safeParse(segmentId);
  if (!parsed.success) throw new ValidationError({ id: parsed.error.issues[0]?.message ?? 'is not valid' });
  return parsed.data;
};

const segmentOf = async (deps: ManageSegmentsDeps, segmentId: string): Promise<SavedSegment> => {
  const segment = await deps.segments.get(idOf(segmentId));
  if (segment === undefined) throw new NotFoundError(`there is no segment "${segmentId}"`);
  return segment;
};

/** The request's problems, the id in the path included; `pathId` undefined when there is no path (validate). */
const checked = (
  pathId: string | undefined,
  body: unknown,
): { definition: SegmentDefinition; version: number | undefined } | { problems: Problem[] } => {
  const parsed = SegmentRequest.safeParse(body);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const { version, id: bodyId, ...rest } = parsed.data;
  if (pathId !== undefined && bodyId !== undefined && bodyId !== pathId)
    return { problems: [{ path: 'id', message: `must be "${pathId}", the segment id in the path` }] };
  const id = pathId ?? bodyId;
  if (id === undefined) return { problems: [{ path: 'id', message: 'is required' }] };
  if (reservedIds.has(id))
    return { problems: [{ path: 'id', message: `"${id}" is reserved by the API; choose another id` }] };
  return { definition: { ...rest, id }, version };
};

export const listSegments = async (deps: ManageSegmentsDeps): Promise<{ segments: SavedSegment[] }> => ({
  segments: (await deps.segments.list()).sort((a, b) => a.id.localeCompare(b.id)),
});

export const getSegment = (deps: ManageSegmentsDeps, segmentId: string): Promise<SavedSegment> =>
  segmentOf(deps, segmentId);

/**
 * Creates the segment (no `version` in the body; 409 if it exists) or replaces
 * it whole over the version it was read at (404 if it is gone, 409 if another
 * save came first): a marketer's edit is never lost to a concurrent one.
 */
export const putSegment = async (
  deps: ManageSegmentsDeps,
  segmentId: string,
  body: unknown,
): Promise<PutSegmentResult> => {
  const request = checked(idOf(segmentId), body);
  if ('problems' in request) throw refuse(request.problems, 'the segment is not valid; nothing was stored');
  const { definition, version } = request;
  if (version !== undefined && (await deps.segments.get(definition.id)) === undefined)
    throw new NotFoundError(`there is no segment "${definition.id}" to replace; send it without a version`);
  const segment = await deps.segments.put(definition, deps.clock.now(), version);
  return { segment, created: version === undefined };
};

/** Checks a segment without storing it: the body's fields, the condition's operators and paths. */
export const validateSegment = (body: unknown): SegmentValidation => {
  const request = checked(undefined, body);
  return 'problems' in request ? { valid: false, problems: request.problems } : { valid: true, problems: [] };
};

export const deleteSegment = async (
  deps: ManageSegmentsDeps,
  segmentId: string,
): Promise<{ segmentId: string; deleted: true }> => {
  if (!(await deps.segments.delete(idOf(segmentId))))
    throw new NotFoundError(`there is no segment "${segmentId}"`);
  return { segmentId, deleted: true };
};

/**
 * Files a count of the segment as it is now: the journey-jobs schedule walks
 * every contact, a page at a time, with the segment's dates measured from this
 * moment, and keeps a few members to show.
 */
export const countSegment = async (
  deps: ManageSegmentsDeps,
  segmentId: string,
): Promise<{ segmentId: string; job: JourneyJob }> => {
  const segment = await segmentOf(deps, segmentId);
  const job = await enqueueJob(deps, segmentJobSubject(segment.id), {
    kind: 'segment-count',
    segmentId: segment.id,
    version: segment.version,
    at: deps.clock.now().toISOString(),
  });
  return { segmentId: segment.id, job };
};

type CountJob = JourneyJob & { work: Extract<JourneyJob['work'], { kind: 'segment-count' }> };

const isCount = (job: JourneyJob): job is CountJob => job.work.kind === 'segment-count';

const countView = async (deps: ManageSegmentsDeps, job: CountJob): Promise<SegmentCountView> => {
  const sampleIds = job.result?.sample ?? [];
  const contacts = await Promise.all(sampleIds.map((contactId) => deps.contacts.get(contactId)));
  return {
    jobId: job.id,
    status: job.status,
    done: job.status !== 'pending',
    version: job.work.version,
    at: job.work.at,
    seen: job.counts.seen,
    members: job.result?.members ?? 0,
    sample: contacts.flatMap((contact) =>
      contact === undefined ? [] : [{ contactId: contact.id, email: contact.email }],
    ),
    startedAt: job.createdAt,
    ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
    ...(job.error === undefined ? {} : { error: job.error }),
  };
};

/** The latest count of the segment, finished or still going; `count: null` before the first. */
export const latestSegmentCount = async (
  deps: ManageSegmentsDeps,
  segmentId: string,
): Promise<{ segmentId: string; count: SegmentCountView | null }> => {
  const segment = await segmentOf(deps, segmentId);
  const latest = (await deps.jobs.listForSubject(segmentJobSubject(segment.id))).find(isCount);
  return { segmentId: segment.id, count: latest === undefined ? null : await countView(deps, latest) };
};

/**
 * The repository's segments (segments/*.yaml), created where absent: one that
 * exists, as shipped or as a marketer changed it since, is left as it is.
 */
export const seedSegments = async (
  deps: Pick<ManageSegmentsDeps, 'segments' | 'clock'>,
  definitions: readonly SegmentDefinition[],
): Promise<{ created: string[]; kept: string[] }> => {
  const created: string[] = [];
  const kept: string[] = [];
  for (const definition of definitions) {
    try {
      await deps.segments.put(definition, deps.clock.now());
      created.push(definition.id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      kept.push(definition.id);
    }
  }
  return { created, kept };
};
