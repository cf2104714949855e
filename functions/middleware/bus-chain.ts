import { setTimeout as sleep } from 'node:timers/promises';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { timing } from '../../lib/config/timing.js';
import { type BusEvent, parseBusEvent } from '../../lib/domain/bus-event.js';
import { BusEventRejectedError } from '../../lib/domain/errors.js';
import { logger, metrics, observability } from './observability.js';

export type BusUseCase = (event: BusEvent) => Promise<void>;

/** Pauses before the second and third tries of a fault; they and the tries fit in the function's timeout (lib/config/timing.ts). */
export const busRetryDelaysMs: readonly number[] = timing.ingestBus.retryDelaysMs;

/**
 * The chain for functions behind a rule on the event bus. EventBridge invokes
 * them asynchronously with one event, and Lambda is told not to retry
 * (`retryAttempts: 0` in both runtimes): Lambda's retries cannot tell an event
 * that will never be stored from a throttled table. So the chain decides. A
 * rejection (BusEventRejectedError) fails the invocation at once, and the event
 * goes to the dead-letter queue once, with its reason; any other fault is tried
 * again here after each of busRetryDelaysMs, and only then dead-lettered.
 */
export const busHandler = (useCase: BusUseCase, retryDelaysMs: readonly number[] = busRetryDelaysMs) =>
  middy<EventBridgeEvent<string, unknown>, void, Error, Context>()
    .use(observability())
    .handler(async (raw) => {
      const event = parseBusEvent(raw);
      for (let attempt = 0; ; attempt += 1) {
        try {
          await useCase(event);
          metrics.addMetric('BusEventsProcessed', MetricUnit.Count, 1);
          return;
        } catch (error) {
          const delay = retryDelaysMs[attempt];
          const final = error instanceof BusEventRejectedError || delay === undefined;
          logger.warn(final ? 'bus event failed' : 'bus event failed; trying again', {
            eventId: event.id,
            source: event.source,
            detailType: event['detail-type'],
            attempt: attempt + 1,
            error,
          });
          if (final) {
            metrics.addMetric('BusEventsFailed', MetricUnit.Count, 1);
            throw error;
          }
          await sleep(delay);
        }
      }
    });
