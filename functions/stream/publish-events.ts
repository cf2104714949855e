import { decodeOutboundEventRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { publishOutboundEvent } from '../../lib/app/publish-outbound-event.js';
import { perEnvironment } from '../dependencies.js';
import { deadLettersOf } from '../middleware/dead-lettering.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const deps = perEnvironment((d) => ({
  events: d.outboundEvents,
  publisher: d.eventPublisher(),
  clock: d.clock,
}));

export const handler = streamHandler(
  async (record) => {
    const ref = decodeOutboundEventRef(record);
    const outcome = await publishOutboundEvent(deps(), ref);
    logger.info('outbound event', { contactId: ref.contactId, eventId: ref.id, ...outcome });
  },
  { deadLetter: deadLettersOf('publish-events') },
);
