import { recordInboundSms } from '../../lib/app/record-inbound-sms.js';
import { InboundSmsFormatError, parseInboundSms } from '../../lib/domain/inbound-sms.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { topicHandler } from '../middleware/topic-chain.js';

/** Enough of a number to tell replies apart in the logs without logging who sent them. */
const masked = (e164: string): string => `…${e164.slice(-4)}`;

const deps = perEnvironment(({ contacts, suppressions, clock, ids }) => ({
  contacts,
  phones: contacts,
  suppressions,
  clock,
  ids,
}));

export const handler = topicHandler(async (record) => {
  let sms: ReturnType<typeof parseInboundSms>;
  try {
    sms = parseInboundSms(record.Sns.Message);
  } catch (error) {
    // Retrying cannot fix a message we do not understand (e.g. SNS's own test notice): log it and move on.
    if (error instanceof InboundSmsFormatError) {
      logger.warn('ignored an SNS message that is not an inbound SMS', {
        messageId: record.Sns.MessageId,
        error,
      });
      return;
    }
    throw error;
  }
  const outcome = await recordInboundSms(deps(), sms);
  logger.info('inbound sms', { from: masked(sms.originationNumber), ...outcome });
});
