import { recordSesFeedback } from '../../lib/app/record-ses-feedback.js';
import { reputationThresholdsOf } from '../../lib/config/runtime-env.js';
import { InvalidSesNotificationError, parseSesNotification } from '../../lib/domain/ses-notification.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { topicHandler } from '../middleware/topic-chain.js';

const deps = perEnvironment((d) => ({
  suppressions: d.suppressions,
  softBounces: d.softBounces,
  contacts: d.contacts,
  stats: d.stats,
  ids: d.ids,
  clicks: d.clicks,
  clock: d.clock,
  sendingState: d.sendingState,
  settings: {
    attributionWindowDays: d.env.ATTRIBUTION_WINDOW_DAYS,
    reputation: reputationThresholdsOf(d.env),
    engagementCountsOpens: d.env.ENGAGEMENT_COUNTS_OPENS,
  },
}));

export const handler = topicHandler(async (record) => {
  let notification: ReturnType<typeof parseSesNotification>;
  try {
    notification = parseSesNotification(record.Sns.Message);
  } catch (error) {
    // Retrying cannot fix a message we do not understand (e.g. SNS's own test notice): log it and move on.
    if (error instanceof InvalidSesNotificationError) {
      logger.warn('ignored an SNS message that is not an SES event', {
        messageId: record.Sns.MessageId,
        error,
      });
      return;
    }
    throw error;
  }
  const feedback = deps();
  // SNS keeps a notification's MessageId on every redelivery: the counters are deduplicated on it.
  const summary = await recordSesFeedback(
    feedback,
    notification,
    { notificationId: record.Sns.MessageId },
    feedback.clock.now(),
  );
  // Counts only: addresses are personal data, and logs outlive an erasure.
  logger.info('ses feedback', {
    eventType: summary.eventType,
    suppressed: summary.suppressed.length,
    counted: summary.counted,
  });
  if (summary.pausedMarketing)
    logger.warn('marketing email paused: a bounce or complaint rate reached its critical threshold');
});
