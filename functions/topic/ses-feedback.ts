import { recordSesFeedback } from '../../lib/app/record-ses-feedback.js';
import { parseSesNotification } from '../../lib/domain/ses-notification.js';
import { clock, contacts, ids, stats, suppressions } from '../composition-root.js';
import { logger } from '../middleware/observability.js';
import { topicHandler } from '../middleware/topic-chain.js';

export const handler = topicHandler(async (record) => {
  const notification = parseSesNotification(record.Sns.Message);
  const summary = await recordSesFeedback({ suppressions, contacts, stats, ids }, notification, clock.now());
  logger.info('ses feedback', { ...summary });
});
