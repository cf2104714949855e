import {
  EventBridgeClient,
  EventBridgeServiceException,
  ListEventBusesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from '../../../infra/local/eventbridge-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import {
  EventBridgePublisher,
  entrySizeBytes,
  maxEntryBytes,
} from '../../../lib/adapters/eventbridge/eventbridge-publisher.js';
import { EventEntryFailedError, EventTooLargeError } from '../../../lib/domain/errors.js';
import type { EventToPublish } from '../../../lib/ports/event-publisher.js';

const busName = 'rapport';
let eventBridge: EventBridgeLocal;
let publisher: EventBridgePublisher;
let client: EventBridgeClient;
let nextTier = 0;

/** An event no other test in this file puts, so each test finds only its own. */
const anEvent = (overrides: Partial<EventToPublish> = {}): EventToPublish => {
  nextTier += 1;
  return {
    source: 'rapport.journeys',
    detailType: 'VIP Reached',
    detail: { eventId: `vip#en-${nextTier}#reached#1`, tier: `tier-${nextTier}`, note: 'Grüße 📚' },
    time: new Date('2026-11-23T10:00:00.000Z'),
    ...overrides,
  };
};

const recordedWith = (eventId: unknown) =>
  eventBridge.events().filter((event) => event.detail.eventId === eventId);

/** Source, DetailType, Time and Detail of this event add up to exactly `bytes` as EventBridge counts them. */
const anEventOfSize = (bytes: number): EventToPublish => {
  const event = anEvent({ detail: { eventId: `sized-${bytes}`, padding: '' } });
  const base = entrySizeBytes({
    Source: event.source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: event.time,
  });
  return { ...event, detail: { eventId: `sized-${bytes}`, padding: 'x'.repeat(bytes - base) } };
};

beforeAll(async () => {
  eventBridge = await startEventBridgeLocal({
    port: await freePort(),
    quiet: true,
    eventBusNames: [busName],
  });
  publisher = new EventBridgePublisher({
    region: localRegion,
    endpoint: eventBridge.endpoint,
    credentials: localCredentials,
    eventBusName: busName,
  });
  client = new EventBridgeClient({
    region: localRegion,
    endpoint: eventBridge.endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await eventBridge?.stop();
});

describe('the EventBridge publisher against the local EventBridge endpoint', () => {
  describe('when it publishes an event', () => {
    it('puts it on the configured bus as it was given, and returns the id EventBridge assigned', async () => {
      const event = anEvent();

      const { providerEventId } = await publisher.publish(event);

      expect(recordedWith(event.detail.eventId)).toEqual([
        {
          eventId: providerEventId,
          eventBusName: busName,
          source: 'rapport.journeys',
          detailType: 'VIP Reached',
          detail: event.detail,
          resources: [],
          time: '2026-11-23T10:00:00Z',
          at: expect.any(String),
          matchedRules: [],
        },
      ]);
    });

    it('lists what was put as JSON at GET /events', async () => {
      const event = anEvent();
      const { providerEventId } = await publisher.publish(event);

      const response = await fetch(`${eventBridge.endpoint}/events`);
      const listed: unknown = await response.json();

      expect(response.headers.get('content-type')).toBe('application/json');
      expect(listed).toEqual(
        expect.arrayContaining([expect.objectContaining({ eventId: providerEventId, detail: event.detail })]),
      );
    });

    it('takes an event of exactly 256 KB', async () => {
      const event = anEventOfSize(maxEntryBytes);

      await publisher.publish(event);

      expect(recordedWith(event.detail.eventId)).toHaveLength(1);
    });
  });

  describe('when the event is larger than EventBridge takes', () => {
    it('refuses it as too large before calling EventBridge, naming its size', async () => {
      const event = anEventOfSize(maxEntryBytes + 1);

      const publishing = publisher.publish(event);

      await expect(publishing).rejects.toBeInstanceOf(EventTooLargeError);
      await expect(publishing).rejects.toThrow(`the event is ${maxEntryBytes + 1} bytes`);
      expect(recordedWith(event.detail.eventId)).toEqual([]);
    });

    it('counts characters outside ASCII by their UTF-8 bytes, as EventBridge does', async () => {
      const ascii = anEventOfSize(maxEntryBytes);
      // Four bytes in UTF-8, two UTF-16 units in JavaScript: the same text length, a larger entry.
      const emoji = {
        ...ascii,
        detail: { ...ascii.detail, padding: `📚${String(ascii.detail.padding).slice(2)}` },
      };

      await expect(publisher.publish(emoji)).rejects.toBeInstanceOf(EventTooLargeError);
    });
  });

  describe('when EventBridge refuses the entry', () => {
    it('fails with the entry’s error code and message', async () => {
      const elsewhere = new EventBridgePublisher({
        region: localRegion,
        endpoint: eventBridge.endpoint,
        credentials: localCredentials,
        eventBusName: 'no-such-bus',
      });

      const publishing = elsewhere.publish(anEvent());

      await expect(publishing).rejects.toBeInstanceOf(EventEntryFailedError);
      await expect(publishing).rejects.toMatchObject({
        errorCode: 'ResourceNotFoundException',
        errorMessage: 'Event bus no-such-bus does not exist.',
      });
    });
  });
});

describe('the local EventBridge endpoint, spoken to with the SDK', () => {
  const entry = (overrides: PutEventsRequestEntry = {}): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: 'rapport.test',
    DetailType: 'Checked',
    Detail: JSON.stringify({ check: 'endpoint' }),
    ...overrides,
  });

  it.each([
    [
      'no Source',
      entry({ Source: undefined }),
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    ],
    [
      'no DetailType',
      entry({ DetailType: undefined }),
      'InvalidArgument',
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    ],
    [
      'no Detail',
      entry({ Detail: undefined }),
      'InvalidArgument',
      'Parameter Detail is not valid. Reason: Detail is a required argument.',
    ],
    [
      'a Detail that is not JSON',
      entry({ Detail: '{tier: gold' }),
      'MalformedDetail',
      'Detail is malformed.',
    ],
    [
      'a Detail that is no JSON object',
      entry({ Detail: '["gold"]' }),
      'MalformedDetail',
      'Detail is malformed.',
    ],
  ])('fails an entry with %s, as EventBridge does', async (_case, bad, code, message) => {
    const before = eventBridge.events().length;

    const result = await client.send(new PutEventsCommand({ Entries: [bad] }));

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries).toEqual([{ ErrorCode: code, ErrorMessage: message }]);
    expect(eventBridge.events()).toHaveLength(before);
  });

  it('accepts the good entries of a call and fails the bad ones, in order', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [entry({ Detail: '{"n":1}' }), entry({ Source: '' }), entry({ Detail: '{"n":3}' })],
      }),
    );

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries).toEqual([
      { EventId: expect.any(String) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Source') },
      { EventId: expect.any(String) },
    ]);
  });

  it('accepts an event bus ARN for the bus it names', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [entry({ EventBusName: `arn:aws:events:${localRegion}:000000000000:event-bus/${busName}` })],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
  });

  it.each([
    ['more than ten entries', Array.from({ length: 11 }, () => entry()), 'less than or equal to 10'],
    ['no entries', [], 'greater than or equal to 1'],
  ])('refuses a call with %s as a validation error', async (_case, entries, constraint) => {
    const putting = client.send(new PutEventsCommand({ Entries: entries }));

    await expect(putting).rejects.toBeInstanceOf(EventBridgeServiceException);
    await expect(putting).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(constraint),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a call whose entries add up to more than 256 KB', async () => {
    const half = entry({ Detail: JSON.stringify({ padding: 'x'.repeat(140 * 1024) }) });

    await expect(client.send(new PutEventsCommand({ Entries: [half, half] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('answers an action it does not serve with an error the SDK names', async () => {
    await expect(client.send(new ListEventBusesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: 'The action AWSEvents.ListEventBuses is not valid for this endpoint.',
    });
  });
});
