import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoRoot } from '../../infra/cloud/constructs/repo-root.js';
import { loadContent } from '../../lib/content/load-content.js';
import { ContactExport } from './support/contact-export.js';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * `journeys simulate` must say what the system does. Each case runs the shipped
 * journey on the local stack, then simulates the same contact and the same events
 * through the admin API, and compares the sends: which node sent, which skipped
 * and why (consent, `skip_unless` with nothing new to recommend).
 */
let env: Awaited<ReturnType<typeof startStack>>;
let key: string;
const admin = { authorization: `Bearer ${adminToken}` };

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...admin },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
};

const runSchedules = async () => {
  await env.stack.idle();
  await env.stack.tick();
  await env.stack.idle();
};

/** The shipped journey without its holdout: which contacts land in the control group depends on their random ids. */
const publishWithoutHoldout = async (journeyId: string) => {
  const { journeys } = await loadContent(repoRoot);
  const shipped = journeys.find((journey) => journey.id === journeyId);
  if (shipped === undefined) throw new Error(`no shipped ${journeyId}`);
  expect((await call('PUT', `/admin/journeys/${journeyId}/draft`, { ...shipped, holdout: 0 })).status).toBe(
    200,
  );
  expect((await call('POST', `/admin/journeys/${journeyId}/publish`)).status).toBe(200);
};

const Card = z.object({
  contact: z.object({
    id: z.string(),
    email: z.string(),
    topics: z.array(z.string()),
    consent: z.object({ email: z.object({ status: z.string() }), sms: z.object({ status: z.string() }) }),
    customer: z.record(z.string(), z.unknown()).optional(),
  }),
});
const cardOf = async (email: string) =>
  Card.parse(JSON.parse((await call('GET', `/admin/contacts?email=${encodeURIComponent(email)}`)).text));

const exportOf = async (contactId: string) =>
  ContactExport.parse(JSON.parse((await call('GET', `/admin/contacts/${contactId}/export`)).text));

const Timeline = z.object({
  timeline: z.array(
    z.object({ kind: z.string(), node: z.string().optional(), reason: z.string().optional() }),
  ),
});

/** What the local stack did for the contact in the journey: `node:sent` or `node:skipped:reason`, sorted. */
const sendsOnTheStack = async (contactId: string, journeyId: string) =>
  (await exportOf(contactId)).messages
    .filter((message) => message.journeyId === journeyId)
    .map((message) =>
      [
        message.nodeId,
        message.status,
        ...(message.skipReason === undefined ? [] : [message.skipReason]),
      ].join(':'),
    )
    .sort();

/** The same, from simulating the contact as it was and the events it received, up to now. */
const sendsInTheSimulation = async (
  journeyId: string,
  card: z.infer<typeof Card>['contact'],
  eventTypes: readonly string[],
) => {
  const events = (await exportOf(card.id)).events.filter((event) => eventTypes.includes(event.type));
  const first = events[0];
  if (first === undefined) throw new Error(`no ${eventTypes.join(' or ')} for ${card.email}`);
  const simulated = await call('POST', `/admin/journeys/${journeyId}/simulate`, {
    contact: {
      id: card.id,
      email: card.email,
      topics: card.topics,
      email_status: card.consent.email.status,
      sms_status: card.consent.sms.status,
      ...(card.customer === undefined ? {} : { customer: card.customer }),
    },
    events: events.map(({ id, type, at, data }) => ({ id, type, at, data })),
    from: new Date(Date.parse(first.at) - 60_000).toISOString(),
    to: new Date().toISOString(),
  });
  expect(simulated.status).toBe(200);
  return Timeline.parse(JSON.parse(simulated.text))
    .timeline.filter((entry) => entry.kind === 'sent' || entry.kind === 'skipped')
    .map((entry) => [entry.node, entry.kind, ...(entry.kind === 'skipped' ? [entry.reason] : [])].join(':'))
    .sort();
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  key = String(JSON.parse((await env.http.postJson('/admin/api-keys', { name: 'shop' }, admin)).text).key);
  const imported = await call(
    'POST',
    '/admin/products/import',
    JSON.stringify([
      {
        sku: 'COPIER-A200',
        name: 'Office copier A200',
        category: 'office/copiers',
        price: 900,
        replacementCycleDays: 30,
      },
      { sku: 'OLD-CRIME', name: 'An old crime novel', category: 'books/crime', price: 12 },
      { sku: 'NEW-CRIME', name: 'Murder at the Harbour', category: 'books/crime', price: 15 },
    ]),
  );
  expect(imported.status).toBe(200);
  await publishWithoutHoldout('replacement-reminder');
  await publishWithoutHoldout('new-book-launch');
});
afterAll(async () => {
  await env?.stack.stop();
});

const subscribe = async (email: string, topics: string[]) => {
  await env.http.postJson('/v1/signup', { email, consent: true, topics });
  await env.stack.idle();
  await confirmByEmail(env, email);
};

const buy = (email: string, orderId: string, sku: string, price: number, at = new Date()) =>
  env.http.postJson(
    '/v1/events',
    {
      type: 'track',
      event: 'Order Completed',
      email,
      messageId: `msg-${orderId}`,
      timestamp: at.toISOString(),
      properties: { order_id: orderId, total: price, products: [{ sku, price }] },
    },
    { authorization: `Bearer ${key}` },
  );

describe('the replacement reminder', () => {
  it('sends in the simulation what the stack sent, and skips what it skipped, for a subscriber and a buyer without consent', async () => {
    await subscribe('sim-owner@example.com', ['newsletter']);
    const yesterday = new Date(Date.now() - 86_400_000);
    await buy('sim-owner@example.com', 'SIM-1', 'COPIER-A200', 900, yesterday);
    await buy('sim-stranger@example.com', 'SIM-2', 'COPIER-A200', 900, yesterday);
    await runSchedules();

    for (const email of ['sim-owner@example.com', 'sim-stranger@example.com']) {
      const { contact } = await cardOf(email);
      const onTheStack = await sendsOnTheStack(contact.id, 'replacement-reminder');
      expect(onTheStack).toHaveLength(1);
      expect(await sendsInTheSimulation('replacement-reminder', contact, ['order_completed'])).toEqual(
        onTheStack,
      );
    }
    expect(
      await sendsOnTheStack((await cardOf('sim-stranger@example.com')).contact.id, 'replacement-reminder'),
    ).toEqual(['first-reminder:skipped:not-subscribed']);
  });
});

describe('the new book launch', () => {
  it('agrees with the stack on skip_unless: news for a reader, nothing for one who owns the book already', async () => {
    await subscribe('sim-reader@example.com', ['recommendations']);
    await subscribe('sim-owner-of-it@example.com', ['recommendations']);
    await buy('sim-reader@example.com', 'SIM-3', 'OLD-CRIME', 12);
    await buy('sim-owner-of-it@example.com', 'SIM-4', 'NEW-CRIME', 15);
    await runSchedules();
    const before = {
      reader: (await cardOf('sim-reader@example.com')).contact,
      owner: (await cardOf('sim-owner-of-it@example.com')).contact,
    };

    expect((await call('POST', '/admin/products/NEW-CRIME/publish', {})).status).toBe(202);
    await runSchedules();
    await runSchedules();

    const reader = await sendsOnTheStack(before.reader.id, 'new-book-launch');
    const owner = await sendsOnTheStack(before.owner.id, 'new-book-launch');
    expect(reader).toEqual(['announce:sent']);
    expect(owner).toEqual(['announce:skipped:nothing-to-recommend']);
    expect(await sendsInTheSimulation('new-book-launch', before.reader, ['product_published'])).toEqual(
      reader,
    );
    expect(await sendsInTheSimulation('new-book-launch', before.owner, ['product_published'])).toEqual(owner);
  });
});
