import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContactExport } from './support/contact-export.js';
import { aShop, type Shop } from './support/shop.js';
import { startStack } from './support/stack.js';

/**
 * A marketer saves a live segment of big spenders over HTTP; the shop sends
 * an order that puts a customer in it and then refunds it, and the customer's
 * timeline shows the entry and the exit as events journeys can start on. The
 * contacts list finds the member by the segment while it is one.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let shop: Shop;

const ContactList = z.object({
  contacts: z.array(z.object({ id: z.string(), email: z.string() })),
  next: z.string().optional(),
});

const admin = (method: string, path: string, body?: unknown) => shop.admin(method, path, body);
const ingest = (body: unknown) => shop.ingest(body);

/** Every contact the list answers for the query, following `next`. */
const listAll = async (query: string) => {
  const found: string[] = [];
  let after: string | undefined;
  do {
    const answer = await admin(
      'GET',
      `/admin/contacts?${query}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`,
    );
    expect(answer.status).toBe(200);
    const page = ContactList.parse(answer.body);
    found.push(...page.contacts.map((contact) => contact.email));
    after = page.next;
  } while (after !== undefined);
  return found;
};

const segmentEvents = async (contactId: string) => {
  const exported = await admin('GET', `/admin/contacts/${encodeURIComponent(contactId)}/export`);
  expect(exported.status).toBe(200);
  return ContactExport.parse(exported.body)
    .events.filter((event) => event.type.startsWith('segment_'))
    .map((event) => ({ type: event.type, data: event.data }));
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  shop = await aShop(env.stack.apiUrl, env.http);
}, 120_000);

afterAll(async () => {
  await env?.stack.stop();
});

describe('a live segment on the local stack', () => {
  it('writes segment_entered when an order puts a customer in, and segment_exited when a refund takes them out', async () => {
    // Saved before any contact changes, so the journeys function's first read of the live segments has it.
    const saved = await admin('PUT', '/admin/segments/big-spenders', {
      name: 'Big spenders',
      condition: { 'contact.customer.revenue': { $gte: 100 } },
      live: true,
    });
    expect(saved.status).toBe(201);

    await ingest({
      type: 'identify',
      userId: 'dora',
      messageId: 'id-dora',
      traits: { email: 'dora@example.com' },
    });
    await ingest({
      type: 'identify',
      userId: 'eve',
      messageId: 'id-eve',
      traits: { email: 'eve@example.com' },
    });
    await ingest({
      type: 'track',
      event: 'Order Completed',
      userId: 'dora',
      messageId: 'order-dora',
      timestamp: new Date().toISOString(),
      properties: {
        order_id: 'O-dora',
        total: 150,
        currency: 'EUR',
        products: [{ sku: 'BIG-1', price: 150 }],
      },
    });
    await ingest({
      type: 'track',
      event: 'Order Completed',
      userId: 'eve',
      messageId: 'order-eve',
      timestamp: new Date().toISOString(),
      properties: {
        order_id: 'O-eve',
        total: 20,
        currency: 'EUR',
        products: [{ sku: 'SMALL-1', price: 20 }],
      },
    });
    await env.stack.idle();

    const lookup = await admin('GET', '/admin/contacts?email=dora%40example.com');
    const doraId = z.object({ contact: z.object({ id: z.string() }) }).parse(lookup.body).contact.id;
    expect(await segmentEvents(doraId)).toEqual([
      { type: 'segment_entered', data: { segmentId: 'big-spenders', segmentName: 'Big spenders' } },
    ]);
    expect(await listAll('segment=big-spenders&limit=1')).toEqual(['dora@example.com']);
    expect(await listAll('q=DORA')).toEqual(['dora@example.com']);

    await ingest({
      type: 'track',
      event: 'Order Refunded',
      userId: 'dora',
      messageId: 'refund-dora',
      properties: { order_id: 'O-dora', total: 150 },
    });
    await env.stack.idle();

    expect(await segmentEvents(doraId)).toEqual([
      { type: 'segment_entered', data: { segmentId: 'big-spenders', segmentName: 'Big spenders' } },
      { type: 'segment_exited', data: { segmentId: 'big-spenders', segmentName: 'Big spenders' } },
    ]);
    expect(await listAll('segment=big-spenders')).toEqual([]);
  }, 120_000);

  it('refuses a list filtered by a segment nobody saved, naming the field', async () => {
    const answer = await admin('GET', '/admin/contacts?segment=nobody-saved-this');

    expect(answer).toMatchObject({
      status: 400,
      body: { error: { fields: { segment: expect.any(String) } } },
    });
  });
});
