import type { Content } from '../domain/content.js';
import { messageOf } from '../domain/error-text.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryPolicyStore } from '../ports/delivery-policy-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { compileEmail } from '../templates/compile-email.js';
import { backfillDateTrigger, type EnqueueJobDeps } from './journey-jobs.js';
import { startEngagementClock } from './start-engagement-clock.js';

export interface PublishContentDeps extends EnqueueJobDeps {
  journeys: Pick<JourneyStore, 'publish' | 'summary'>;
  templates: Pick<TemplateStore, 'publish' | 'list' | 'forSending' | 'putCompiled'>;
  policies: DeliveryPolicyStore;
  clock: Clock;
}

export interface PublishedContent {
  journeys: Array<{ id: string; version: number }>;
  templates: Array<{ id: string; version: number }>;
  /** Templates published earlier (through the admin API, or before templates were compiled) whose latest version was compiled again. */
  recompiled: Array<{ id: string; version: number }>;
  /** Latest versions that no longer compile, with why: deliver cannot send them until a version that compiles is published. */
  uncompiled: Array<{ id: string; version: number; problem: string }>;
  /** Whether the repository had a delivery policy (without one, an empty policy is stored). */
  deliveryPolicy: boolean;
  /** The job that starts the engagement clock on profiles from before it, filed on the first deploy only. */
  engagementClockJob?: string;
}

/**
 * Every template's latest version gets the HTML it compiles to now: a version stored
 * before templates were compiled has none, and one compiled under another layout or MJML
 * release has stale HTML. Deliver renders only what is stored, so this runs before it
 * starts on new code (the seed, on every deploy that changes it; locally, at every start).
 */
const recompileTemplates = async (
  deps: PublishContentDeps,
  published: ReadonlySet<string>,
): Promise<Pick<PublishedContent, 'recompiled' | 'uncompiled'>> => {
  const recompiled: PublishedContent['recompiled'] = [];
  const uncompiled: PublishedContent['uncompiled'] = [];
  for (const { templateId, latestVersion } of await deps.templates.list()) {
    if (latestVersion === 0 || published.has(templateId)) continue;
    const latest = await deps.templates.forSending(templateId);
    if (latest === undefined) continue;
    try {
      const compiled = await compileEmail(latest);
      if (compiled.layout === latest.compiled?.layout && compiled.body === latest.compiled.body) continue;
      await deps.templates.putCompiled(templateId, latest.version, compiled);
      recompiled.push({ id: templateId, version: latest.version });
    } catch (error) {
      uncompiled.push({ id: templateId, version: latest.version, problem: messageOf(error) });
    }
  }
  return { recompiled, uncompiled };
};

/**
 * Publishes the repository's templates, then its journeys, as new versions where
 * they changed. Templates first: a journey must never be live before its mail.
 */
export const publishContent = async (
  deps: PublishContentDeps,
  content: Content,
): Promise<PublishedContent> => {
  const now = deps.clock.now();
  const templates = [];
  for (const template of content.templates) {
    templates.push({
      id: template.id,
      ...(await deps.templates.publish(template, await compileEmail(template), now)),
    });
  }
  const compiling = await recompileTemplates(deps, new Set(templates.map(({ id }) => id)));
  const journeys = [];
  for (const definition of content.journeys) {
    const before = (await deps.journeys.summary(definition.id))?.latestVersion ?? 0;
    const published = await deps.journeys.publish(definition, now);
    // Only a new version needs its date trigger backfilled: an unchanged one was, when it was new.
    if (published.version > before) await backfillDateTrigger(deps, published);
    journeys.push({ id: definition.id, version: published.version });
  }
  // Published last and always: removing the file lifts the caps, like deleting a rule would.
  await deps.policies.put(content.deliveryPolicy ?? {}, now);
  const engagementClock = await startEngagementClock(deps);
  return {
    journeys,
    templates,
    ...compiling,
    deliveryPolicy: content.deliveryPolicy !== undefined,
    ...(engagementClock === undefined ? {} : { engagementClockJob: engagementClock.id }),
  };
};
