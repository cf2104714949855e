import { decodeMessageRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { type DeliverDeps, deliverMessage } from '../../lib/app/deliver-message.js';
import { timing } from '../../lib/config/timing.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

/** The link-signing keys are re-read every few minutes, so each record asks for them. */
const delivery = perEnvironment(({ env, ...d }) => ({
  deps: {
    outbox: d.outbox,
    contacts: d.contacts,
    suppressions: d.suppressions,
    templates: d.templates,
    journeys: d.journeys,
    campaigns: d.campaigns,
    stats: d.stats,
    mailer: d.mailer(),
    texter: d.texter(),
    deferrals: d.timers,
    clock: d.clock,
    ids: d.ids,
    render: (template, input) => renderEmail(template, input, { topicLabels: d.topicLabels }),
    recommendations: d.recommendations,
    policy: d.deliveryPolicy,
  } satisfies Omit<DeliverDeps, 'settings'>,
  settings: {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    tokenTtlDays: env.TOKEN_TTL_DAYS,
    sender: env.SENDER_EMAIL,
    postalAddress: env.POSTAL_ADDRESS,
    defaultTimeZone: env.DEFAULT_TIME_ZONE,
    sms: {
      ...(env.SMS_SENDER_ID === undefined ? {} : { senderId: env.SMS_SENDER_ID }),
      ...(env.SMS_ORIGINATION_NUMBER === undefined ? {} : { originationNumber: env.SMS_ORIGINATION_NUMBER }),
      marketingType: env.SMS_TYPE_MARKETING,
      transactionalType: env.SMS_TYPE_TRANSACTIONAL,
    },
    claimLeaseMs: timing.deliver.claimLeaseMs,
    maxClaimWaitMs: timing.deliver.maxClaimWaitMs,
  },
  tokenKeys: d.tokenKeys,
}));

export const handler = streamHandler(async (record) => {
  const ref = decodeMessageRef(record);
  const { deps, settings, tokenKeys } = delivery();
  const outcome = await deliverMessage(
    { ...deps, settings: { ...settings, tokenKeys: await tokenKeys() } },
    ref,
  );
  logger.info('message delivery', { key: ref.key, ...outcome });
});
