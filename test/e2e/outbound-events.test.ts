import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DynamoOutboundEventStore } from '../../lib/adapters/dynamodb/dynamo-outbound-event-store.js';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import type { OutboundEvent } from '../../lib/domain/outbound-event.js';
import { anOutboundEvent, writeOutboundEvent } from '../integration/support/outbound-events.js';
import { insertedRecords, redeliver } from './support/replay.js';
import { startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * Events journeys emit, on the local stack: an OUT# item written as the journeys'
 * transaction writes it reaches the local event bus through the table stream and
 * publish-events, once, however often its record is delivered.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let store: DynamoOutboundEventStore;

const ListedEvents = z.array(
  z.object({
    eventId: z.string(),
    eventBusName: z.string(),
    source: z.string(),
    detailType: z.string(),
    detail: z.record(z.string(), z.unknown()),
    time: z.string(),
  }),
);
const DeadLetteredRecord = z.object({
  dynamodb: z.object({ Keys: z.object({ SK: z.object({ S: z.string() }) }) }),
});
const onTheBus = async (event: OutboundEvent) =>
  ListedEvents.parse(JSON.parse((await env.http.get('/local/events')).text)).filter(
    (listed) => listed.detail.eventId === event.id,
  );

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  store = new DynamoOutboundEventStore(table.documentClient, env.stack.tableName);
});

afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

describe('an event a journey emitted', () => {
  const event = anOutboundEvent('e2e-vip-contact');

  it('is put on the local bus and readable at GET /local/events', async () => {
    await writeOutboundEvent(table.documentClient, env.stack.tableName, event);
    await env.stack.idle();

    const listed = await onTheBus(event);
    expect(listed).toEqual([
      {
        eventId: expect.any(String),
        eventBusName: env.stack.eventBusName,
        source: 'rapport.journeys',
        detailType: 'VIP Reached',
        detail: { ...event.detail, eventId: event.id },
        time: '2026-11-23T10:00:00Z',
      },
    ]);
    expect(await store.get(event.contactId, event.id)).toMatchObject({
      status: 'published',
      providerEventId: listed[0]?.eventId,
    });
  });

  it('is put there only once when its stream record is delivered again', async () => {
    const records = (await insertedRecords(env.stack, keys.outboundEventPrefix)).filter(
      (record) => record.dynamodb?.Keys?.SK?.S === keys.outboundEvent(event.contactId, event.id).SK,
    );
    expect(records).toHaveLength(1);

    const response = await redeliver(env.stack, 'publish-events', [...records, ...records]);
    await env.stack.idle();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await onTheBus(event)).toHaveLength(1);
  });
});

describe('an emitted event larger than EventBridge takes', () => {
  it('is never put on the bus, stays pending, and ends in the dead letters after the retries', async () => {
    const event = anOutboundEvent('e2e-large-contact', { detail: { notes: 'x'.repeat(300 * 1024) } });

    await writeOutboundEvent(table.documentClient, env.stack.tableName, event);
    await env.stack.idle();

    expect(await onTheBus(event)).toEqual([]);
    expect((await store.get(event.contactId, event.id))?.status).toBe('pending');
    const sortKey = keys.outboundEvent(event.contactId, event.id).SK;
    const deadLetters = (await env.stack.deadLetters()).filter(
      (letter) => DeadLetteredRecord.safeParse(letter.record).data?.dynamodb.Keys.SK.S === sortKey,
    );
    expect(deadLetters).toEqual([
      expect.objectContaining({
        functionName: expect.stringContaining('publish-events'),
        reason: expect.stringContaining('gave up after 4 attempts'),
      }),
    ]);
  });
});
