import { decodeMessageRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { deliverMessage } from '../../lib/app/deliver-message.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import {
  clock,
  contacts,
  env,
  mailer,
  outbox,
  stats,
  suppressions,
  templates,
  tokenKeys,
} from '../composition-root.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

export const handler = streamHandler(async (record) => {
  const ref = decodeMessageRef(record);
  const outcome = await deliverMessage(
    {
      outbox,
      contacts,
      suppressions,
      templates,
      stats,
      mailer: mailer(),
      clock,
      render: renderEmail,
      settings: {
        publicBaseUrl: env.PUBLIC_BASE_URL,
        tokenKeys: await tokenKeys(),
        tokenTtlDays: env.TOKEN_TTL_DAYS,
        sender: env.SENDER_EMAIL,
        postalAddress: env.POSTAL_ADDRESS,
        claimLeaseMs: 40_000,
        maxClaimWaitMs: 45_000,
      },
    },
    ref,
  );
  logger.info('message delivery', { key: ref.key, ...outcome });
});
