import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { busHandler } from '../../../functions/middleware/bus-chain.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import type { BusEvent } from '../../../lib/domain/bus-event.js';
import { InvalidBusEventError } from '../../../lib/domain/bus-event.js';

const context = lambdaContext(
  { functionName: 'bus-chain-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

const event: EventBridgeEvent<string, unknown> = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Order Completed',
  source: 'com.example.orders',
  account: '123456789012',
  time: '2026-11-20T15:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { userId: 'shop-42' },
};

describe('the bus rule handler chain', () => {
  it('hands the use case the event’s id, source, detail-type, time and detail', async () => {
    const seen: BusEvent[] = [];
    const handler = busHandler(async (busEvent) => {
      seen.push(busEvent);
    });

    await handler(event, context);

    expect(seen).toEqual([
      {
        id: 'e-1',
        source: 'com.example.orders',
        'detail-type': 'Order Completed',
        time: '2026-11-20T15:00:00Z',
        detail: { userId: 'shop-42' },
      },
    ]);
  });

  it('fails the invocation with the use case’s error, so Lambda retries and then dead-letters the event', async () => {
    class Refused extends Error {
      override readonly name = 'Refused';
    }
    const handler = busHandler(async () => {
      throw new Refused('properties.total: required');
    });

    await expect(handler(event, context)).rejects.toThrow(Refused);
  });

  it('fails the invocation for something that is not an EventBridge event, without calling the use case', async () => {
    let called = false;
    const handler = busHandler(async () => {
      called = true;
    });

    await expect(handler({ ...event, detail: 'not an object' }, context)).rejects.toThrow(
      InvalidBusEventError,
    );
    expect(called).toBe(false);
  });
});
