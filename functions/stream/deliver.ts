import { decodeMessageRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { deliverMessage } from '../../lib/app/deliver-message.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import { topicLabelsOf } from '../../lib/templates/topic-label.js';
import {
  clock,
  contacts,
  deliveryPolicy,
  env,
  ids,
  journeys,
  mailer,
  outbox,
  recommendations,
  stats,
  suppressions,
  templates,
  texter,
  timers,
  tokenKeys,
} from '../composition-root.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const topicLabels = topicLabelsOf(env.TOPICS);

export const handler = streamHandler(async (record) => {
  const ref = decodeMessageRef(record);
  const outcome = await deliverMessage(
    {
      outbox,
      contacts,
      suppressions,
      templates,
      journeys,
      stats,
      mailer: mailer(),
      texter: texter(),
      deferrals: timers,
      clock,
      ids,
      render: (template, input) => renderEmail(template, input, { topicLabels }),
      recommendations,
      policy: deliveryPolicy,
      settings: {
        publicBaseUrl: env.PUBLIC_BASE_URL,
        tokenKeys: await tokenKeys(),
        tokenTtlDays: env.TOKEN_TTL_DAYS,
        sender: env.SENDER_EMAIL,
        postalAddress: env.POSTAL_ADDRESS,
        defaultTimeZone: env.DEFAULT_TIME_ZONE,
        sms: {
          ...(env.SMS_SENDER_ID === undefined ? {} : { senderId: env.SMS_SENDER_ID }),
          ...(env.SMS_ORIGINATION_NUMBER === undefined
            ? {}
            : { originationNumber: env.SMS_ORIGINATION_NUMBER }),
          marketingType: env.SMS_TYPE_MARKETING,
          transactionalType: env.SMS_TYPE_TRANSACTIONAL,
        },
        claimLeaseMs: 40_000,
        maxClaimWaitMs: 45_000,
      },
    },
    ref,
  );
  logger.info('message delivery', { key: ref.key, ...outcome });
});
