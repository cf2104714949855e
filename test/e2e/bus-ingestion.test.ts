import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localCredentials, localRegion } from '../../infra/local/dynamodb-local.js';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import { startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * Purchase events another AWS system puts on Rapport's bus, on the local stack
 * as `npm start` runs it: PutEvents with the real SDK against the local
 * EventBridge endpoint, the ingest-bus rule, and the order stored for the
 * contact once, however often it is put.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let eventBridge: EventBridgeClient;

const putOnTheBus = async (source: string, detailType: string, detail: Record<string, unknown>) => {
  const result = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: env.stack.eventBusName,
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
  return result.Entries?.[0]?.EventId ?? '';
};

const itemsOf = async (contactId: string, prefix: string) =>
  (
    await table.documentClient.send(
      new QueryCommand({
        TableName: env.stack.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': prefix },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const contactIdOf = async (email: string): Promise<string> => {
  const { status, body } = await env.http.contact(email);
  expect(status).toBe(200);
  return body?.contact.id ?? '';
};

const orderCompleted = (email: string, orderId: string, messageId: string) => ({
  userId: `shop-${orderId}`,
  email,
  messageId,
  timestamp: '2026-11-20T15:00:00Z',
  properties: {
    order_id: orderId,
    total: 59.9,
    currency: 'eur',
    products: [{ sku: 'MUG-2', name: 'Mug', price: 29.95, quantity: 2 }],
  },
});

const DeadLetter = z.object({
  functionName: z.string(),
  reason: z.string(),
  record: z.object({ id: z.string() }).loose(),
});

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  eventBridge = new EventBridgeClient({
    endpoint: env.stack.eventBridgeUrl,
    region: localRegion,
    credentials: localCredentials,
  });
});

afterAll(async () => {
  eventBridge?.destroy();
  table?.client.destroy();
  await env?.stack.stop();
});

describe('an "Order Completed" another system puts on the bus', () => {
  it('is stored for the contact once, though the same event (same messageId) is put twice', async () => {
    const detail = orderCompleted('bus-buyer@example.com', 'B-1001', 'shop-msg-B-1001');

    await putOnTheBus('com.example.orders', 'Order Completed', detail);
    await putOnTheBus('com.example.orders', 'Order Completed', detail);
    await env.stack.idle();

    const contactId = await contactIdOf('bus-buyer@example.com');
    const orders = await itemsOf(contactId, keys.orderPrefix);
    expect(orders).toEqual([
      expect.objectContaining({
        orderId: 'B-1001',
        // Stored in cents of the order's currency.
        total: 5990,
        currency: 'EUR',
        at: '2026-11-20T15:00:00.000Z',
        // A customer the bus brought in, who never signed up.
        source: {
          channel: 'eventbridge',
          acquisition: expect.objectContaining({ form: 'ingestion:eventbridge' }),
        },
        lines: [{ sku: 'MUG-2', name: 'Mug', price: 2995, quantity: 2 }],
      }),
    ]);
    const events = await itemsOf(contactId, keys.eventPrefix);
    expect(events.filter((event) => event.eventType === 'order_completed')).toHaveLength(1);
    expect(await env.stack.deadLetters()).toEqual([]);
  });

  it('makes a buyer the database has never seen a contact without marketing consent', async () => {
    await putOnTheBus(
      'com.example.orders',
      'Order Completed',
      orderCompleted('bus-stranger@example.com', 'B-1002', 'shop-msg-B-1002'),
    );
    await env.stack.idle();

    const { body } = await env.http.contact('bus-stranger@example.com');
    expect(body?.contact.consent.email.status).toBe('none');
  });

  it('is not ingested when Rapport’s own journeys emitted it', async () => {
    await putOnTheBus(
      'rapport.journeys',
      'Order Completed',
      orderCompleted('bus-loop@example.com', 'B-1003', 'shop-msg-B-1003'),
    );
    await env.stack.idle();

    expect((await env.http.contact('bus-loop@example.com')).status).toBe(404);
  });

  it('ends in the dead letters with the problem when it fails validation, and stores nothing', async () => {
    const detail = orderCompleted('bus-broken@example.com', 'B-1004', 'shop-msg-B-1004');
    const eventId = await putOnTheBus('com.example.orders', 'Order Completed', {
      ...detail,
      properties: { ...detail.properties, products: [] },
    });
    await env.stack.idle();

    const letters = z
      .array(DeadLetter)
      .parse(JSON.parse((await env.http.get('/local/dead-letters')).text))
      .filter((letter) => letter.record.id === eventId);
    expect(letters).toEqual([
      {
        functionName: 'ingest-bus',
        reason: expect.stringMatching(
          /^BusEventRejectedError: .*properties\.products: .*\(gave up after 1 attempt\)$/,
        ),
        record: expect.objectContaining({ source: 'com.example.orders', 'detail-type': 'Order Completed' }),
      },
    ]);
    expect((await env.http.contact('bus-broken@example.com')).status).toBe(404);
  });

  it('dead-letters once, naming the field, a total DynamoDB cannot hold, instead of retrying it', async () => {
    const detail = orderCompleted('bus-huge@example.com', 'B-1005', 'shop-msg-B-1005');
    const eventId = await putOnTheBus('com.example.orders', 'Order Completed', {
      ...detail,
      properties: { ...detail.properties, total: 1e16 },
    });
    await env.stack.idle();

    const letters = z
      .array(DeadLetter)
      .parse(JSON.parse((await env.http.get('/local/dead-letters')).text))
      .filter((letter) => letter.record.id === eventId);
    expect(letters).toEqual([
      expect.objectContaining({
        reason: expect.stringMatching(
          /^BusEventRejectedError: .*properties\.total: .*2\^53.*\(gave up after 1 attempt\)$/,
        ),
      }),
    ]);
  });
});

describe('an "Identify" another system puts on the bus', () => {
  it('updates the contact the shop’s user id points at', async () => {
    await putOnTheBus(
      'com.example.orders',
      'Order Completed',
      orderCompleted('bus-identified@example.com', 'B-1005', 'shop-msg-B-1005'),
    );
    await putOnTheBus('com.example.accounts', 'Identify', {
      userId: 'shop-B-1005',
      traits: { loyaltyTier: 'gold' },
    });
    await env.stack.idle();

    const contactId = await contactIdOf('bus-identified@example.com');
    const [profile] = await itemsOf(contactId, 'PROFILE');
    expect(profile?.attributes).toMatchObject({ loyaltyTier: 'gold' });
  });
});
