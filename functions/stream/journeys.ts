import { decodeContactEvent } from '../../lib/adapters/dynamodb/stream-records.js';
import { advanceJourneys } from '../../lib/app/advance-journeys.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const deps = perEnvironment((d) => ({
  journeys: d.journeys,
  enrollments: d.enrollments,
  contacts: d.contacts,
  stats: d.stats,
  timers: d.timers,
  clock: d.clock,
  settings: { defaultTimeZone: d.env.DEFAULT_TIME_ZONE, defaultCurrency: d.env.DEFAULT_CURRENCY },
}));

export const handler = streamHandler(async (record) => {
  const event = decodeContactEvent(record);
  const outcomes = await advanceJourneys(deps(), event);
  for (const failed of outcomes.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a journey failed on the event; the other journeys handled it', {
      eventId: event.id,
      ...failed,
    });
  }
  if (outcomes.length > 0) logger.info('event advanced journeys', { eventId: event.id, outcomes });
});
