import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedSegments } from '../../lib/app/manage-segments.js';
import { publishContent } from '../../lib/app/publish-content.js';
import { loadContent } from '../../lib/content/load-content.js';
import { dependencies } from '../dependencies.js';
import { deploymentHandler } from '../middleware/deployment-chain.js';
import { logger } from '../middleware/observability.js';

/** In the cloud the bundle carries journeys/, templates/, segments/ and delivery-policy.yaml beside the handler. */
const besideTheHandler = dirname(fileURLToPath(import.meta.url));

export const handler = deploymentHandler('rapport-content', async () => {
  const { journeys, templates, deliveryPolicies, clock, journeyJobs, ids, env, segments } = dependencies();
  const content = await loadContent(env.CONTENT_ROOT ?? besideTheHandler);
  const published = await publishContent(
    { journeys, templates, policies: deliveryPolicies, clock, jobs: journeyJobs, ids },
    content,
  );
  const seeded = await seedSegments({ segments, clock }, content.segments);
  logger.info('content published', { ...published, segments: seeded });
  // Not a failure of the deploy: those templates are the marketers', and the rest still send.
  for (const template of published.uncompiled) logger.warn('template does not compile', template);
  return {
    journeys: published.journeys.map((j) => `${j.id}@${j.version}`).join(','),
    templates: published.templates.map((t) => `${t.id}@${t.version}`).join(','),
    recompiled: published.recompiled.map((t) => `${t.id}@${t.version}`).join(','),
    uncompiled: published.uncompiled.map((t) => `${t.id}@${t.version}`).join(','),
    deliveryPolicy: published.deliveryPolicy ? 'published' : 'none',
    segments: seeded.created.join(','),
  };
});
