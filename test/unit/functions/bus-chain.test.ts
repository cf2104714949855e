import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { busHandler } from '../../../functions/middleware/bus-chain.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import type { BusEvent } from '../../../lib/domain/bus-event.js';
import { InvalidBusEventError } from '../../../lib/domain/bus-event.js';
import { BusEventRejectedError } from '../../../lib/domain/errors.js';

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

  it('fails the invocation at once for a rejected event, so it is dead-lettered once with its reason', async () => {
    let tries = 0;
    const handler = busHandler(async () => {
      tries += 1;
      throw new BusEventRejectedError('Order Completed', { 'properties.total': 'required' });
    }, [0, 0]);

    await expect(handler(event, context)).rejects.toThrow(BusEventRejectedError);
    expect(tries).toBe(1);
  });

  it('tries a fault again before it gives up, and succeeds when a retry does', async () => {
    let tries = 0;
    const handler = busHandler(async () => {
      tries += 1;
      if (tries < 3) throw new Error('throttled');
    }, [0, 0]);

    await handler(event, context);
    expect(tries).toBe(3);
  });

  it('fails the invocation with the fault once its tries are used up', async () => {
    class Throttled extends Error {
      override readonly name = 'Throttled';
    }
    let tries = 0;
    const handler = busHandler(async () => {
      tries += 1;
      throw new Throttled('slow down');
    }, [0, 0]);

    await expect(handler(event, context)).rejects.toThrow(Throttled);
    expect(tries).toBe(3);
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
