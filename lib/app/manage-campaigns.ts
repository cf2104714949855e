import { DateTime } from 'luxon';
import { z } from 'zod';
import { CampaignDefinition, type SavedCampaign } from '../domain/campaign.js';
import type { CampaignDetails, CampaignValidationReport } from '../domain/campaign-details.js';
import { type CampaignAction, campaignTransition } from '../domain/campaign-plan.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { campaignJobSubject } from '../domain/journey-job.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { SegmentStore } from '../ports/segment-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { definitionProblems, templateProblem } from './admin/definition-problems.js';
import { type Problem, problemsOf, refuse } from './admin/problems.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

export interface ManageCampaignsDeps extends EnqueueJobDeps {
  campaigns: Pick<CampaignStore, 'get' | 'list' | 'put' | 'update'>;
  segments: Pick<SegmentStore, 'get'>;
  templates: Pick<TemplateStore, 'get' | 'getDraft'>;
}

/** The version a lifecycle step expects (optional: without it, the one just read). */
const VersionGuard = z.object({ version: z.number().int().min(1).optional() }).default({});

const guardOf = (body: unknown): number | undefined => {
  const parsed = VersionGuard.safeParse(body ?? {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the request is not valid');
  return parsed.data.version;
};

const campaignOf = async (deps: ManageCampaignsDeps, campaignId: string): Promise<SavedCampaign> => {
  const campaign = await deps.campaigns.get(campaignId);
  if (campaign === undefined) throw new NotFoundError(`there is no campaign "${campaignId}"`);
  return campaign;
};

/** A campaign moved on since the version the caller saw: their step would act on something else. */
const checkVersion = (campaign: SavedCampaign, expected: number | undefined): void => {
  if (expected !== undefined && campaign.version !== expected)
    throw new ConflictError(
      `campaign "${campaign.definition.id}" is at version ${campaign.version}, not ${expected}; read it again`,
    );
};

export const listCampaigns = async (deps: ManageCampaignsDeps): Promise<{ campaigns: SavedCampaign[] }> => ({
  campaigns: (await deps.campaigns.list()).sort((a, b) => a.definition.id.localeCompare(b.definition.id)),
});

export const getCampaign = async (
  deps: ManageCampaignsDeps,
  campaignId: string,
): Promise<CampaignDetails> => {
  const campaign = await campaignOf(deps, campaignId);
  return { ...campaign, jobs: await deps.jobs.listForSubject(campaignJobSubject(campaignId)) };
};

const campaignProblems = (campaignId: string, input: unknown) =>
  definitionProblems(CampaignDefinition, 'campaign', campaignId, input);

/** What the definition names must exist: its segment, and every template it sends. */
const referenceProblems = async (
  deps: ManageCampaignsDeps,
  definition: CampaignDefinition,
): Promise<Problem[]> => {
  const checks: Array<Promise<Problem | undefined>> = [
    (async () =>
      (await deps.segments.get(definition.audience.segmentId)) === undefined
        ? { path: 'audience.segmentId', message: `unknown segment "${definition.audience.segmentId}"` }
        : undefined)(),
  ];
  if (definition.channel.kind === 'email') {
    checks.push(templateProblem(deps.templates, definition.channel.templateId, 'channel.templateId'));
    for (const [index, variant] of (definition.variants ?? []).entries())
      if (variant.templateId !== undefined)
        checks.push(templateProblem(deps.templates, variant.templateId, `variants.${index}.templateId`));
  }
  return (await Promise.all(checks)).filter((problem) => problem !== undefined);
};

const fullValidation = async (deps: ManageCampaignsDeps, campaignId: string, input: unknown) => {
  const checked = campaignProblems(campaignId, input);
  if (checked.definition === undefined) return checked;
  return { definition: checked.definition, problems: await referenceProblems(deps, checked.definition) };
};

/** The body without the `version` guard a PUT may carry beside the definition. */
const splitVersion = (body: unknown): { input: unknown; version: number | undefined } => {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'version'))
    return { input: body, version: undefined };
  const { version, ...input } = Object.fromEntries(Object.entries(body));
  return { input, version: guardOf({ version }) };
};

/**
 * Creates the campaign as a draft, or replaces a draft's definition (over the
 * `version` given, else the one read). Only the schema is checked here; the
 * segment and templates are checked by validate and at launch.
 */
export const putCampaign = async (
  deps: ManageCampaignsDeps,
  campaignId: string,
  body: unknown,
): Promise<SavedCampaign> => {
  const { input, version } = splitVersion(body);
  const { definition, problems } = campaignProblems(campaignId, input);
  if (definition === undefined)
    throw refuse(problems, 'the campaign definition is not valid; nothing was stored');
  const now = deps.clock.now();
  const current = await deps.campaigns.get(campaignId);
  if (current === undefined) return deps.campaigns.put(definition, now);
  checkVersion(current, version);
  if (current.status !== 'draft')
    throw new ConflictError(`campaign "${campaignId}" is ${current.status}; only a draft can be changed`);
  return deps.campaigns.put(definition, now, current.version);
};

/** Validates the body if one is given, else the stored campaign: schema, segment and templates. */
export const validateCampaign = async (
  deps: ManageCampaignsDeps,
  campaignId: string,
  body: unknown,
): Promise<CampaignValidationReport> => {
  const input = body === undefined ? (await campaignOf(deps, campaignId)).definition : body;
  const { problems } = await fullValidation(deps, campaignId, input);
  return { valid: problems.length === 0, problems };
};

/** Whether the first send lies ahead: a `local` time is first reached in the earliest zone (UTC+14). */
const startsLater = (definition: CampaignDefinition, now: Date): boolean => {
  const { schedule } = definition;
  switch (schedule.kind) {
    case 'now':
      return false;
    case 'at':
      return Date.parse(schedule.at) > now.getTime();
    case 'local':
      return (
        DateTime.fromISO(`${schedule.date}T${schedule.time}`, { zone: 'UTC+14' }).toMillis() > now.getTime()
      );
    default: {
      const unknownSchedule: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(unknownSchedule)}`);
    }
  }
};

/**
 * The launch's jobs: freeze the audience, send it at its pace (an A/B test's
 * rest with the winner, after the window), mark it sent at the end.
 */
const fileLaunchJobs = async (deps: ManageCampaignsDeps, campaign: SavedCampaign, at: string) => {
  const { id } = campaign.definition;
  const subject = campaignJobSubject(id);
  await enqueueJob(deps, subject, { kind: 'campaign-launch', campaignId: id, at });
  await enqueueJob(deps, subject, { kind: 'campaign-send', campaignId: id, share: 'first' });
  if (campaign.definition.abTest !== undefined)
    await enqueueJob(deps, subject, { kind: 'campaign-send', campaignId: id, share: 'rest' });
  await enqueueJob(deps, subject, { kind: 'campaign-finish', campaignId: id });
};

/**
 * Launches the campaign: its audience is frozen as of now (the segment is
 * evaluated at this instant, whenever the walk reaches a contact), and every
 * message is filed at its send slot, however far ahead its schedule is.
 */
export const launchCampaign = async (
  deps: ManageCampaignsDeps,
  campaignId: string,
  body: unknown,
): Promise<SavedCampaign> => {
  const version = guardOf(body);
  const campaign = await campaignOf(deps, campaignId);
  checkVersion(campaign, version);
  const now = deps.clock.now();
  if (campaign.status !== 'draft' && campaign.launchedAt !== undefined) {
    // A launch whose jobs were never filed (it stopped between the two writes) is completed, not refused.
    const jobs = await deps.jobs.listForSubject(campaignJobSubject(campaignId));
    if (jobs.length === 0 && campaign.status !== 'cancelled') {
      await fileLaunchJobs(deps, campaign, campaign.launchedAt);
      return campaign;
    }
  }
  const next = campaignTransition(
    campaign,
    'launch',
    startsLater(campaign.definition, now) ? 'scheduled' : 'sending',
  );
  if ('refused' in next)
    throw new ConflictError(`campaign "${campaignId}" cannot be launched: ${next.refused}`);
  const problems = await referenceProblems(deps, campaign.definition);
  if (problems.length > 0) throw refuse(problems, 'the campaign is not valid; it was not launched');
  const launched = await deps.campaigns.update(
    campaignId,
    { status: next.status, launchedAt: now.toISOString() },
    now,
    campaign.version,
  );
  await fileLaunchJobs(deps, launched, now.toISOString());
  return launched;
};

/** Pause, resume or cancel, over the version read (or given): 409 when the campaign moved on or the step is not allowed. */
export const changeCampaignStatus = async (
  deps: ManageCampaignsDeps,
  campaignId: string,
  action: Exclude<CampaignAction, 'launch'>,
  body: unknown,
): Promise<SavedCampaign> => {
  const version = guardOf(body);
  const campaign = await campaignOf(deps, campaignId);
  checkVersion(campaign, version);
  const next = campaignTransition(campaign, action);
  if ('refused' in next)
    throw new ConflictError(`campaign "${campaignId}" cannot ${action}: ${next.refused}`);
  return deps.campaigns.update(
    campaignId,
    {
      status: next.status,
      pausedFrom: action === 'pause' ? campaign.status : action === 'resume' ? null : undefined,
    },
    deps.clock.now(),
    campaign.version,
  );
};
