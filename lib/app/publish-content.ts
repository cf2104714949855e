import type { Content } from '../domain/content.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryPolicyStore } from '../ports/delivery-policy-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { backfillDateTrigger, type EnqueueJobDeps } from './journey-jobs.js';

export interface PublishContentDeps extends EnqueueJobDeps {
  journeys: Pick<JourneyStore, 'publish' | 'summary'>;
  templates: Pick<TemplateStore, 'publish'>;
  policies: DeliveryPolicyStore;
  clock: Clock;
}

export interface PublishedContent {
  journeys: Array<{ id: string; version: number }>;
  templates: Array<{ id: string; version: number }>;
  /** Whether the repository had a delivery policy (without one, an empty policy is stored). */
  deliveryPolicy: boolean;
}

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
    templates.push({ id: template.id, ...(await deps.templates.publish(template, now)) });
  }
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
  return { journeys, templates, deliveryPolicy: content.deliveryPolicy !== undefined };
};
