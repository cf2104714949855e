import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from '../../../infra/local/eventbridge-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { DynamoOutboundEventStore } from '../../../lib/adapters/dynamodb/dynamo-outbound-event-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import {
  decodeOutboundEventRef,
  UndecodableRecordError,
} from '../../../lib/adapters/dynamodb/stream-records.js';
import { EventBridgePublisher } from '../../../lib/adapters/eventbridge/eventbridge-publisher.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import {
  type PublishOutboundEventDeps,
  publishOutboundEvent,
} from '../../../lib/app/publish-outbound-event.js';
import { EventEntryFailedError } from '../../../lib/domain/errors.js';
import type { OutboundEvent } from '../../../lib/domain/outbound-event.js';
import { anOutboundEvent, writeOutboundEvent } from '../support/outbound-events.js';
import { readStreamRecords } from '../support/stream.js';
import { createTestTable, type TestTable } from '../support/table.js';

const busName = 'rapport';
const publishedAt = '2026-11-23T10:00:03.000Z';
let table: TestTable;
let eventBridge: EventBridgeLocal;
let store: DynamoOutboundEventStore;
let deps: PublishOutboundEventDeps;

const publisherOn = (eventBusName: string) =>
  new EventBridgePublisher({
    region: localRegion,
    endpoint: eventBridge.endpoint,
    credentials: localCredentials,
    eventBusName,
  });

const putOnTheBus = (event: OutboundEvent) =>
  eventBridge.events().filter((recorded) => recorded.detail.eventId === event.id);

/** Stores a fresh pending event and returns it with the reference its stream record decodes to. */
const stored = async (overrides: Partial<OutboundEvent> = {}) => {
  const event = anOutboundEvent(`c-${Math.random().toString(36).slice(2)}`, overrides);
  await writeOutboundEvent(table.documentClient, table.tableName, event);
  return { event, ref: { contactId: event.contactId, id: event.id } };
};

beforeAll(async () => {
  table = await createTestTable({ stream: true });
  eventBridge = await startEventBridgeLocal({
    port: await freePort(),
    quiet: true,
    eventBusNames: [busName],
  });
  store = new DynamoOutboundEventStore(table.documentClient, table.tableName);
  deps = { events: store, publisher: publisherOn(busName), clock: new VirtualClock(publishedAt) };
});

afterAll(async () => {
  await eventBridge?.stop();
});

describe('publishing an outbound event from the table to EventBridge', () => {
  it('decodes the stream record of its OUT# item to the event it points at', async () => {
    const { ref } = await stored();

    const records = (await readStreamRecords(table)).filter(
      (record) => record.dynamodb?.Keys?.SK?.S === keys.outboundEvent(ref.contactId, ref.id).SK,
    );

    expect(records.map((record) => record.eventName)).toEqual(['INSERT']);
    expect(records.map(decodeOutboundEventRef)).toEqual([ref]);
  });

  it('refuses to decode a record of another kind of item as an outbound event', () => {
    const message = { eventID: '1', dynamodb: { Keys: { PK: { S: 'C#c-1' }, SK: { S: 'MSG#k' } } } };

    expect(() => decodeOutboundEventRef(message)).toThrow(UndecodableRecordError);
  });

  it('puts the event on the bus with its eventId, and records it published', async () => {
    const { event, ref } = await stored();

    const outcome = await publishOutboundEvent(deps, ref);

    const [put] = putOnTheBus(event);
    expect(put).toMatchObject({
      eventBusName: busName,
      source: 'rapport.journeys',
      detailType: 'VIP Reached',
      detail: { ...event.detail, eventId: event.id },
      time: '2026-11-23T10:00:00Z',
    });
    expect(outcome).toEqual({ outcome: 'published', providerEventId: put?.eventId });
    expect(await store.get(ref.contactId, ref.id)).toEqual({
      ...event,
      status: 'published',
      publishedAt,
      providerEventId: put?.eventId,
    });
  });

  it('puts it once however often the record is replayed', async () => {
    const { event, ref } = await stored();

    const outcomes = [
      await publishOutboundEvent(deps, ref),
      await publishOutboundEvent(deps, ref),
      await publishOutboundEvent(deps, ref),
    ];

    expect(outcomes.map((result) => result.outcome)).toEqual(['published', 'duplicate', 'duplicate']);
    expect(putOnTheBus(event)).toHaveLength(1);
  });

  it('leaves the event pending when EventBridge refuses it, so the retried record tries again', async () => {
    const { event, ref } = await stored();

    await expect(
      publishOutboundEvent({ ...deps, publisher: publisherOn('no-such-bus') }, ref),
    ).rejects.toBeInstanceOf(EventEntryFailedError);

    expect((await store.get(ref.contactId, ref.id))?.status).toBe('pending');
    expect(await publishOutboundEvent(deps, ref)).toMatchObject({ outcome: 'published' });
    expect(putOnTheBus(event)).toHaveLength(1);
  });

  it('reports an event that is not in the table as missing, and puts nothing', async () => {
    expect(await publishOutboundEvent(deps, { contactId: 'nobody', id: 'vip#none#reached#1' })).toEqual({
      outcome: 'missing',
    });
  });
});

describe('the outbound event store', () => {
  it('marks a pending event published only once', async () => {
    const { ref } = await stored();
    const publication = { publishedAt: new Date(publishedAt), providerEventId: 'first' };

    expect(await store.markPublished(ref.contactId, ref.id, publication)).toBe('marked');
    expect(
      await store.markPublished(ref.contactId, ref.id, { ...publication, providerEventId: 'second' }),
    ).toBe('not-pending');
    expect((await store.get(ref.contactId, ref.id))?.providerEventId).toBe('first');
  });

  it('creates nothing when asked to mark an event that does not exist', async () => {
    const ref = { contactId: 'c-absent', id: 'vip#absent#reached#1' };

    const result = await store.markPublished(ref.contactId, ref.id, {
      publishedAt: new Date(publishedAt),
      providerEventId: 'x',
    });

    expect(result).toBe('not-pending');
    const { Item } = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keys.outboundEvent(ref.contactId, ref.id) }),
    );
    expect(Item).toBeUndefined();
  });
});
