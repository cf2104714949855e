import { decodeContactEvent } from '../../lib/adapters/dynamodb/stream-records.js';
import { advanceJourneys } from '../../lib/app/advance-journeys.js';
import { clock, contacts, enrollments, env, journeys, stats, timers } from '../composition-root.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const deps = {
  journeys,
  enrollments,
  contacts,
  stats,
  timers,
  clock,
  settings: { defaultTimeZone: env.DEFAULT_TIME_ZONE },
};

export const handler = streamHandler(async (record) => {
  const event = decodeContactEvent(record);
  const outcomes = await advanceJourneys(deps, event);
  for (const failed of outcomes.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a journey failed on the event; the other journeys handled it', {
      eventId: event.id,
      ...failed,
    });
  }
  if (outcomes.length > 0) logger.info('event advanced journeys', { eventId: event.id, outcomes });
});
