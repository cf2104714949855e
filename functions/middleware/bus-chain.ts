import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { type BusEvent, parseBusEvent } from '../../lib/domain/bus-event.js';
import { logger, metrics, observability } from './observability.js';

export type BusUseCase = (event: BusEvent) => Promise<void>;

/**
 * The chain for functions behind a rule on the event bus. EventBridge invokes
 * them asynchronously with one event: a failure throws, Lambda retries the
 * event twice, and then it goes to the function's dead-letter queue with the
 * error's message as its reason.
 */
export const busHandler = (useCase: BusUseCase) =>
  middy<EventBridgeEvent<string, unknown>, void, Error, Context>()
    .use(observability())
    .handler(async (raw) => {
      const event = parseBusEvent(raw);
      try {
        await useCase(event);
        metrics.addMetric('BusEventsProcessed', MetricUnit.Count, 1);
      } catch (error) {
        metrics.addMetric('BusEventsFailed', MetricUnit.Count, 1);
        logger.warn('bus event failed', {
          eventId: event.id,
          source: event.source,
          detailType: event['detail-type'],
          error,
        });
        throw error;
      }
    });
