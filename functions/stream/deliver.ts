import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { decodeMessageRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { deliverMessage } from '../../lib/app/deliver-message.js';
import { sendingPausedMetric, smsSpendLimitMetric } from '../../lib/config/metric-names.js';
import { perEnvironment } from '../dependencies.js';
import { deliveryDependencies } from '../handler-dependencies.js';
import { deadLettersOf } from '../middleware/dead-lettering.js';
import { logger, metrics } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const delivery = perEnvironment((d) => deliveryDependencies(d));

export const handler = streamHandler(
  async (record) => {
    const ref = decodeMessageRef(record);
    const { deps, settings, tokenKeys } = delivery();
    const outcome = await deliverMessage(
      { ...deps, settings: { ...settings, tokenKeys: await tokenKeys() } },
      ref,
    );
    logger.info('message delivery', { key: ref.key, ...outcome });
    if (outcome.outcome === 'deferred' && outcome.reason === 'sending-paused')
      metrics.addMetric(sendingPausedMetric, MetricUnit.Count, 1);
    if (outcome.outcome === 'deferred' && outcome.reason === 'sms-spend-limit')
      metrics.addMetric(smsSpendLimitMetric, MetricUnit.Count, 1);
  },
  { deadLetter: deadLettersOf('deliver') },
);
