import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishContent } from '../../lib/app/publish-content.js';
import { loadContent } from '../../lib/content/load-content.js';
import { clock, deliveryPolicies, env, ids, journeyJobs, journeys, templates } from '../composition-root.js';
import { deploymentHandler } from '../middleware/deployment-chain.js';
import { logger } from '../middleware/observability.js';

/** In the cloud the bundle carries journeys/, templates/ and delivery-policy.yaml beside the handler. */
const contentRoot = env.CONTENT_ROOT ?? dirname(fileURLToPath(import.meta.url));

export const handler = deploymentHandler('rapport-content', async () => {
  const published = await publishContent(
    { journeys, templates, policies: deliveryPolicies, clock, jobs: journeyJobs, ids },
    await loadContent(contentRoot),
  );
  logger.info('content published', { ...published });
  return {
    journeys: published.journeys.map((j) => `${j.id}@${j.version}`).join(','),
    templates: published.templates.map((t) => `${t.id}@${t.version}`).join(','),
    deliveryPolicy: published.deliveryPolicy ? 'published' : 'none',
  };
});
