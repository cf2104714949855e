import { decodeMessageRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { deliverMessage } from '../../lib/app/deliver-message.js';
import { perEnvironment } from '../dependencies.js';
import { deliveryDependencies } from '../handler-dependencies.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const delivery = perEnvironment((d) => deliveryDependencies(d));

export const handler = streamHandler(async (record) => {
  const ref = decodeMessageRef(record);
  const { deps, settings, tokenKeys } = delivery();
  const outcome = await deliverMessage(
    { ...deps, settings: { ...settings, tokenKeys: await tokenKeys() } },
    ref,
  );
  logger.info('message delivery', { key: ref.key, ...outcome });
});
