import { ingestCall } from '../../lib/app/ingest-events.js';
import { segmentCallOf } from '../../lib/domain/bus-event.js';
import { BusEventRejectedError } from '../../lib/domain/errors.js';
import { dependencies } from '../dependencies.js';
import { busHandler } from '../middleware/bus-chain.js';
import { logger } from '../middleware/observability.js';

/**
 * Purchases, refunds, views and identifies that other AWS systems put on the
 * event bus, ingested as the Segment calls they stand for. A duplicate (the same
 * messageId, or an order already received) succeeds and stores nothing; a call
 * that fails validation fails the invocation, so it ends in the dead-letter queue
 * with its problems rather than being lost.
 */
export const handler = busHandler(async (event) => {
  const outcome = await ingestCall(dependencies().ingestDeps, segmentCallOf(event), 'eventbridge');
  if (outcome.status === 'rejected') throw new BusEventRejectedError(event['detail-type'], outcome.errors);
  logger.info('bus event ingested', { eventId: event.id, source: event.source, ...outcome });
});
