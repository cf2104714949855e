import { type MarketingPauseDeps, pauseMarketingEmail } from '../../lib/app/marketing-email-pause.js';
import {
  alarmPauseCause,
  type CloudWatchAlarmNotification,
  InvalidAlarmNotificationError,
  parseCloudWatchAlarmNotification,
} from '../../lib/domain/cloudwatch-alarm-notification.js';
import type { Clock } from '../../lib/ports/clock.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { topicHandler } from '../middleware/topic-chain.js';

export interface ReputationAlarmDeps {
  pause: MarketingPauseDeps;
  clock: Clock;
}

/**
 * The critical SES reputation alarms publish here: past the critical bounce or
 * complaint rate, marketing email pauses by itself, whether or not anyone reads
 * the alarm email. Transactional mail goes on; an operator resumes.
 */
export const reputationAlarmConsumer = (deps: () => ReputationAlarmDeps) =>
  topicHandler(async (record) => {
    let notification: CloudWatchAlarmNotification;
    try {
      notification = parseCloudWatchAlarmNotification(record.Sns.Message);
    } catch (error) {
      // Retrying cannot fix a message we do not understand (e.g. SNS's own test notice): log it and move on.
      if (error instanceof InvalidAlarmNotificationError) {
        logger.warn('ignored an SNS message that is not a CloudWatch alarm', {
          messageId: record.Sns.MessageId,
          error,
        });
        return;
      }
      throw error;
    }
    const alarm = {
      alarmName: notification.AlarmName,
      metric: notification.Trigger.MetricName,
      state: notification.NewStateValue,
      at: notification.StateChangeTime,
    };
    // Leaving ALARM does not resume: a person decides that, once the cause is fixed.
    if (notification.NewStateValue !== 'ALARM') {
      logger.info('reputation alarm is no longer in ALARM; sending stays as it is', alarm);
      return;
    }
    const { pause, clock } = deps();
    const { outcome } = await pauseMarketingEmail(pause, {
      source: 'alarm',
      cause: alarmPauseCause(notification),
      at: clock.now(),
    });
    logger.warn('reputation alarm: marketing email paused', { ...alarm, outcome });
  });

export const handler = reputationAlarmConsumer(
  perEnvironment((d) => ({
    pause: { sending: d.sendingState, ids: d.ids },
    clock: d.clock,
  })),
);
