import { decodeContactEvent } from '../../lib/adapters/dynamodb/stream-records.js';
import {
  type ContactEventOutcome,
  type HandleContactEventDeps,
  handleContactEvent,
} from '../../lib/app/handle-contact-event.js';
import { timing } from '../../lib/config/timing.js';
import { perEnvironment } from '../dependencies.js';
import { journeysDependencies } from '../handler-dependencies.js';
import { deadLettersOf } from '../middleware/dead-lettering.js';
import { logger } from '../middleware/observability.js';
import { type StreamHandlerOptions, streamHandler } from '../middleware/stream-chain.js';

const deps = perEnvironment(journeysDependencies);

/**
 * The journeys consumer on the dependencies given: a batch's contacts at once, one
 * contact's events in stream order (functions/middleware/stream-chain.ts); a record
 * that can never succeed goes to `deadLetter` when one is given.
 */
export const journeysConsumer = (
  dependencies: () => HandleContactEventDeps,
  deadLetter?: StreamHandlerOptions['deadLetter'],
) =>
  streamHandler(
    async (record) => {
      const event = decodeContactEvent(record);
      const outcome = await handleContactEvent(dependencies(), event);
      logOutcome(event.id, outcome);
    },
    {
      partitionKeysAtOnce: timing.journeys.contactsAtOnce,
      ...(deadLetter === undefined ? {} : { deadLetter }),
    },
  );

const logOutcome = (eventId: string, { segments, journeys, campaigns }: ContactEventOutcome): void => {
  for (const failed of segments.filter((change) => change.change === 'failed')) {
    logger.error('a live segment could not be evaluated on the contact; its membership is unchanged', {
      eventId,
      ...failed,
    });
  }
  if (segments.length > 0) logger.info('event changed segment membership', { eventId, segments });
  for (const failed of journeys.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a journey failed on the event; the other journeys handled it', { eventId, ...failed });
  }
  if (journeys.length > 0) logger.info('event advanced journeys', { eventId, outcomes: journeys });
  for (const failed of campaigns.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a campaign goal could not be checked against the event', { eventId, ...failed });
  }
  if (campaigns.length > 0) logger.info('event reached campaign goals', { eventId, campaigns });
};

export const handler = journeysConsumer(deps, deadLettersOf('journeys'));
