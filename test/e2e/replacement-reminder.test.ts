import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoRoot } from '../../infra/cloud/constructs/repo-root.js';
import { loadContent } from '../../lib/content/load-content.js';
import type { JourneyNode } from '../../lib/domain/journey-definition.js';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The shipped replacement reminder, as a shop lives it: products with a
 * replacement cycle in the catalog, one order holding two of them, and a
 * reminder per product through the emulated SES inbox, naming the product, its
 * purchase and due dates and the page to reorder it. Then the second reminder by
 * SMS, the hand-off to sales, and no hand-off when the first reminder never went out.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let key: string;
const admin = { authorization: `Bearer ${adminToken}` };

const dayMs = 86_400_000;
/** Bought yesterday with a 30-day cycle: the reminder, 30 days before the due date, fell due yesterday. */
const boughtAt = new Date(Date.now() - dayMs);
const calendarDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
const purchaseDay = Math.floor(boughtAt.getTime() / dayMs) * dayMs;

const send = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...admin },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
};

const order = (email: string, orderId: string, messageId: string) =>
  env.http.postJson(
    '/v1/events',
    {
      type: 'track',
      event: 'Order Completed',
      email,
      messageId,
      timestamp: boughtAt.toISOString(),
      properties: {
        order_id: orderId,
        total: 930,
        currency: 'EUR',
        products: [
          { sku: 'COPIER-A200', price: 900 },
          { sku: 'PAPER-A4', price: 5 },
          { sku: 'FILTER-W1', price: 25 },
        ],
      },
    },
    { authorization: `Bearer ${key}` },
  );

/** What `read` answers once `done` holds, or after 15 s: the stream pollers hand records on a moment after they are written. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await env.stack.idle();
  }
  return read();
};

/** Runs the schedules until what fell due has been handled, as the every-minute tick would. */
const runSchedules = async () => {
  await env.stack.idle();
  await env.stack.tick();
  await env.stack.idle();
};

const Enrollments = z.object({
  contact: z.object({ id: z.string() }),
  enrollments: z.array(
    z.object({
      id: z.string(),
      journeyId: z.string(),
      status: z.string(),
      exitReason: z.string().optional(),
    }),
  ),
});
const enrollmentsOf = async (email: string) =>
  Enrollments.parse(
    JSON.parse((await env.http.get(`/admin/contacts?email=${encodeURIComponent(email)}`, admin)).text),
  );

const Texts = z.array(z.object({ phoneNumber: z.string(), message: z.string() }));
const Events = z.array(z.object({ detailType: z.string(), detail: z.record(z.string(), z.unknown()) }));

/**
 * The shipped journey, published again through the admin API without its
 * holdout: which contacts land in the control group depends on their random
 * ids, and this test is about what the treatment group receives.
 */
const republishShipped = async (change: (node: JourneyNode) => JourneyNode = (node) => node) => {
  const { journeys } = await loadContent(repoRoot);
  const shipped = journeys.find((journey) => journey.id === 'replacement-reminder');
  if (shipped === undefined) throw new Error('no shipped replacement-reminder');
  const variant = { ...shipped, holdout: 0, nodes: shipped.nodes.map(change) };
  expect((await send('PUT', '/admin/journeys/replacement-reminder/draft', variant)).status).toBe(200);
  expect((await send('POST', '/admin/journeys/replacement-reminder/publish')).status).toBe(200);
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  await republishShipped();
  const created = await env.http.postJson('/admin/api-keys', { name: 'shop backend' }, admin);
  key = String(JSON.parse(created.text).key);
  const imported = await fetch(`${env.stack.apiUrl}/admin/products/import`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...admin },
    body: [
      'sku,name,category,price,currency,replacement_cycle_days,published_at,url,image',
      'COPIER-A200,Office copier A200,copiers,900,EUR,30,,https://shop.example.com/copier-a200,',
      'FILTER-W1,Water filter W1,filters,25,EUR,29,,https://shop.example.com/filter-w1,',
      'PAPER-A4,Paper A4,paper,5,EUR,,,,',
    ].join('\n'),
  });
  expect(imported.status).toBe(200);
});
afterAll(async () => {
  await env?.stack.stop();
});

describe('when a subscriber buys a copier and a filter in one order', () => {
  const email = 'owner@example.com';

  it('sends one reminder per product, each naming it, its purchase and due dates, and where to reorder it', async () => {
    await env.http.postJson('/v1/signup', { email, name: 'Olga', consent: true, topics: ['newsletter'] });
    await env.stack.idle();
    await confirmByEmail(env, email);
    expect((await order(email, 'O-2001', 'msg-2001')).status).toBe(202);
    await runSchedules();

    const reminders = (await env.mail.to(email)).filter((mail) => /due for replacement/.test(mail.subject));
    expect(reminders.map((mail) => mail.subject).sort()).toEqual([
      'Your Office copier A200 is due for replacement',
      'Your Water filter W1 is due for replacement',
    ]);
    const copier = reminders.find((mail) => mail.subject.includes('copier'));
    expect(copier?.body.text).toContain(
      `Your Office copier A200, bought ${calendarDay(boughtAt.getTime())}, is due for replacement on ${calendarDay(purchaseDay + 30 * dayMs)}.`,
    );
    expect(copier?.body.text).toContain('Reorder it here: https://shop.example.com/copier-a200');
    expect(copier?.body.html).toContain('href="https://shop.example.com/copier-a200"');
  });

  it('starts nothing more when the same order is sent again under another messageId', async () => {
    const before = (await enrollmentsOf(email)).enrollments.filter(
      (e) => e.journeyId === 'replacement-reminder',
    );
    const again = await order(email, 'O-2001', 'msg-2001-resent');
    await runSchedules();

    expect(again.status).toBe(200);
    const after = (await enrollmentsOf(email)).enrollments.filter(
      (e) => e.journeyId === 'replacement-reminder',
    );
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
    expect(after).toHaveLength(2);
  });
});

describe('when the reminder goes unanswered', () => {
  beforeAll(async () => {
    // The two-week wait for a reorder, shortened so the test need not wait two weeks.
    await republishShipped((node) => (node.type === 'wait_for_event' ? { ...node, timeout: 'PT2S' } : node));
  });

  /** Runs the schedules until both reminders of the contact's order have finished, or 20 s have passed. */
  const waitOutTheTimeout = async (email: string) => {
    for (let round = 0; round < 20; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await runSchedules();
      const reminders = (await enrollmentsOf(email)).enrollments.filter(
        (enrollment) => enrollment.journeyId === 'replacement-reminder',
      );
      if (reminders.length === 2 && reminders.every((enrollment) => enrollment.status !== 'active')) return;
    }
  };

  it('texts a second reminder, naming the product, to a contact who agreed to SMS', async () => {
    const email = 'texted@example.com';
    const phone = '+14255550199';
    await env.http.postJson('/v1/signup', {
      email,
      phone,
      consent: true,
      sms_consent: true,
      topics: ['newsletter'],
    });
    await env.stack.idle();
    await confirmByEmail(env, email);
    await order(email, 'O-3001', 'msg-3001');
    await runSchedules();
    await waitOutTheTimeout(email);

    const texts = await eventually(
      async () =>
        Texts.parse(JSON.parse((await env.http.get('/local/sms')).text)).filter(
          (text) => text.phoneNumber === phone,
        ),
      (found) => found.length >= 2,
    );
    expect(texts.map((text) => text.message).sort()).toEqual([
      expect.stringContaining('your Office copier A200 is due for replacement on'),
      expect.stringContaining('your Water filter W1 is due for replacement on'),
    ]);
  });

  it('hands a reminder that was read but not answered to sales, naming the product', async () => {
    const email = 'no-texts@example.com';
    await env.http.postJson('/v1/signup', { email, consent: true, topics: ['newsletter'] });
    await env.stack.idle();
    await confirmByEmail(env, email);
    await order(email, 'O-4001', 'msg-4001');
    await runSchedules();
    await waitOutTheTimeout(email);

    const { contact } = await enrollmentsOf(email);
    const handedOver = await eventually(
      async () =>
        Events.parse(JSON.parse((await env.http.get('/local/events')).text)).filter(
          (event) =>
            event.detailType === 'Replacement Reminder Unanswered' && event.detail.contactId === contact.id,
        ),
      (found) => found.length >= 2,
    );
    expect(handedOver.map((event) => event.detail.product).sort()).toEqual([
      'Office copier A200',
      'Water filter W1',
    ]);
    expect(handedOver[0]?.detail).toMatchObject({
      orderId: 'O-4001',
      sku: expect.any(String),
      dueAt: expect.any(String),
    });
  });

  it('hands nothing to sales when the reminder was never sent, and says why', async () => {
    // Known from an order only: no marketing consent, so deliver skips the reminder.
    const email = 'never-asked@example.com';
    await order(email, 'O-5001', 'msg-5001');
    await runSchedules();
    await waitOutTheTimeout(email);

    const { contact, enrollments } = await enrollmentsOf(email);
    const reminders = enrollments.filter((enrollment) => enrollment.journeyId === 'replacement-reminder');
    expect(reminders).toHaveLength(2);
    for (const reminder of reminders) {
      expect(reminder).toMatchObject({
        status: 'exited',
        exitReason: 'exit_when message_skipped: not-subscribed',
      });
    }
    const handedOver = Events.parse(JSON.parse((await env.http.get('/local/events')).text)).filter(
      (event) => event.detail.contactId === contact.id,
    );
    expect(handedOver).toEqual([]);
  });
});
