import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAsyncInvoker } from '../../../infra/local/async-invocation.js';
import { createDeadLetterSink, type DeadLetterSink } from '../../../infra/local/dead-letter-sink.js';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from '../../../infra/local/eventbridge-local.js';
import { InvalidFilterPatternError } from '../../../infra/local/filter-pattern.js';
import { freePort } from '../../../infra/local/free-port.js';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';

/**
 * The local EventBridge endpoint's rules: what the real SDK puts on the bus is
 * handed, asynchronously, to the function of each rule whose pattern matches,
 * with Lambda's retries and then the dead-letter sink, as `npm start` wires the
 * topology's bus-rule entries.
 */
const busName = 'rapport';
const pattern = {
  source: [{ 'anything-but': ['rapport.journeys'] }],
  'detail-type': ['Order Completed'],
};

let eventBridge: EventBridgeLocal;
let client: EventBridgeClient;
let deadLetters: DeadLetterSink;
let invoker: ReturnType<typeof createAsyncInvoker>;
/** What the rule's function was invoked with, each time it succeeded. */
let received: unknown[];
/** How the next invocations of the rule's function go; each entry is one attempt. */
let failures: string[];

const orders: LocalFunction = {
  functionName: 'orders',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler: async (event) => {
    const failure = failures.shift();
    if (failure !== undefined) throw new Error(failure);
    received.push(structuredClone(event));
  },
};

const put = async (entry: Partial<PutEventsRequestEntry>) => {
  const result = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName,
          Source: 'com.example.orders',
          DetailType: 'Order Completed',
          Detail: JSON.stringify({ userId: 'shop-42', properties: { order_id: 'O-1' } }),
          ...entry,
        },
      ],
    }),
  );
  return result.Entries?.[0]?.EventId;
};

beforeAll(async () => {
  eventBridge = await startEventBridgeLocal({
    port: await freePort(),
    quiet: true,
    eventBusNames: [busName],
    region: localRegion,
  });
  deadLetters = createDeadLetterSink({ print: () => undefined });
  invoker = createAsyncInvoker({ region: localRegion, deadLetters, retryDelayMs: 1, log: () => undefined });
  eventBridge.addRule({
    name: 'orders',
    eventBusName: busName,
    pattern,
    target: (event) => {
      void invoker.invoke(orders, event, 'bus event');
    },
  });
  client = new EventBridgeClient({
    region: localRegion,
    endpoint: eventBridge.endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});

beforeEach(async () => {
  await invoker.idle();
  received = [];
  failures = [];
});

afterAll(async () => {
  client?.destroy();
  await eventBridge?.stop();
});

describe('a rule on the local bus', () => {
  it('hands a matching event to its function as EventBridge hands it to a target', async () => {
    const eventId = await put({ Time: new Date('2026-11-20T15:00:00Z') });
    await invoker.idle();

    expect(received).toEqual([
      {
        version: '0',
        id: eventId,
        'detail-type': 'Order Completed',
        source: 'com.example.orders',
        account: '000000000000',
        time: '2026-11-20T15:00:00Z',
        region: localRegion,
        resources: [],
        detail: { userId: 'shop-42', properties: { order_id: 'O-1' } },
      },
    ]);
  });

  it('answers PutEvents before the function has run', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const blocking: LocalFunction = { ...orders, functionName: 'slow', handler: () => slow };
    eventBridge.addRule({
      name: 'slow',
      eventBusName: busName,
      pattern: { 'detail-type': ['Slow Thing'] },
      target: (event) => {
        void invoker.invoke(blocking, event, 'bus event');
      },
    });

    const eventId = await put({ DetailType: 'Slow Thing' });

    expect(eventId).toEqual(expect.any(String));
    release();
    await invoker.idle();
  });

  it('does not hand over what Rapport’s journeys emit', async () => {
    await put({ Source: 'rapport.journeys' });
    await invoker.idle();

    expect(received).toEqual([]);
  });

  it('does not hand over another detail-type, or an event put on another bus', async () => {
    await put({ DetailType: 'Cart Abandoned' });
    await put({ EventBusName: 'default' });
    await invoker.idle();

    expect(received).toEqual([]);
  });

  it('lists which rules each event matched at GET /events', async () => {
    const matched = await put({});
    const unmatched = await put({ Source: 'rapport.journeys' });
    await invoker.idle();

    const listed: unknown = await (await fetch(`${eventBridge.endpoint}/events`)).json();
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: matched, matchedRules: ['orders'] }),
        expect.objectContaining({ eventId: unmatched, matchedRules: [] }),
      ]),
    );
  });

  it('retries a failing function, and it gets the event when a retry succeeds', async () => {
    failures = ['DynamoDB throttled'];

    const eventId = await put({});
    await invoker.idle();

    expect(received).toEqual([expect.objectContaining({ id: eventId })]);
    expect(
      (await deadLetters.list()).filter((letter) => letter.reason.includes('DynamoDB throttled')),
    ).toEqual([]);
  });

  it('dead-letters the event with the last error after three failed attempts', async () => {
    failures = [
      'BusEventRejectedError: bad',
      'BusEventRejectedError: bad',
      'BusEventRejectedError: no order',
    ];

    const eventId = await put({});
    await invoker.idle();

    expect(received).toEqual([]);
    expect(await deadLetters.list()).toEqual([
      expect.objectContaining({
        functionName: 'orders',
        record: expect.objectContaining({ id: eventId, 'detail-type': 'Order Completed' }),
        reason: expect.stringMatching(/no order \(gave up after 3 attempts\)$/),
      }),
    ]);
  });

  it('is refused when its pattern is one EventBridge would refuse', () => {
    expect(() =>
      eventBridge.addRule({
        name: 'broken',
        eventBusName: busName,
        pattern: { source: [] },
        target: () => undefined,
      }),
    ).toThrow(InvalidFilterPatternError);
  });
});
