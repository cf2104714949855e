import type { Content } from '../content/load-content.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TemplateStore } from '../ports/template-store.js';

export interface PublishContentDeps {
  journeys: JourneyStore;
  templates: TemplateStore;
  clock: Clock;
}

export interface PublishedContent {
  journeys: Array<{ id: string; version: number }>;
  templates: Array<{ id: string; version: number }>;
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
    const published = await deps.journeys.publish(definition, now);
    journeys.push({ id: definition.id, version: published.version });
  }
  return { journeys, templates };
};
