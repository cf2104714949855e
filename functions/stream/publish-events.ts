import { decodeOutboundEventRef } from '../../lib/adapters/dynamodb/stream-records.js';
import { publishOutboundEvent } from '../../lib/app/publish-outbound-event.js';
import { clock, eventPublisher, outboundEvents } from '../composition-root.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

export const handler = streamHandler(async (record) => {
  const ref = decodeOutboundEventRef(record);
  const outcome = await publishOutboundEvent(
    { events: outboundEvents, publisher: eventPublisher(), clock },
    ref,
  );
  logger.info('outbound event', { contactId: ref.contactId, eventId: ref.id, ...outcome });
});
