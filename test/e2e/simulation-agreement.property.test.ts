import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VirtualClock } from '../../lib/adapters/memory/virtual-clock.js';
import { ContactExport } from './support/contact-export.js';
import { linkTo } from './support/mailbox.js';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * The simulation's promise, as a property: for a journey drawn at random from the
 * schema and a random stream of orders (and perhaps an unsubscribe), what the
 * simulate API predicts is what the local stack does. The stack runs on a virtual
 * clock that the test moves from event to event and timer to timer, so both see
 * the same inputs at the same times; then each send of the journey (which node,
 * sent or skipped and why) is compared.
 *
 * Five cases run in `npm test`, from a fixed seed; SIMULATION_AGREEMENT_RUNS=200
 * runs more, from a random one.
 */
const runs = Number(process.env.SIMULATION_AGREEMENT_RUNS ?? 5);
const seed =
  process.env.SIMULATION_AGREEMENT_SEED !== undefined
    ? Number(process.env.SIMULATION_AGREEMENT_SEED)
    : process.env.SIMULATION_AGREEMENT_RUNS === undefined
      ? 2026
      : undefined;
const hourMs = 3_600_000;

let env: Awaited<ReturnType<typeof startStack>>;
let key: string;
const clock = new VirtualClock(new Date('2031-03-03T08:00:00.000Z'));
const admin = { authorization: `Bearer ${adminToken}` };

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...admin },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false, clock, env: { TIMER_SHARDS: '1' } });
  key = String(JSON.parse((await env.http.postJson('/admin/api-keys', { name: 'shop' }, admin)).text).key);
});
afterAll(async () => {
  await env?.stack.stop();
});

// ---------------------------------------------------------------------------------------------
// Journeys drawn from the schema: a chain of nodes, each leading to the next and, where the node
// has a second way out (branch, split, wait_for_event), to any later one or the closing exit. So
// every node is reachable and every journey ends. Waits are whole hours, and orders come on
// their own minutes past the hour, so no timer falls on the minute of an order.

const templates = ['welcome', 'win-back', 'birthday'] as const;
const NodeDraw = z.object({
  kind: z.enum([
    'send_email',
    'send_sms',
    'wait',
    'wait_for_event',
    'branch',
    'split',
    'update_contact',
    'emit_event',
    'exit',
  ]),
  other: z.number(),
  hours: z.number(),
  template: z.enum(templates),
  topic: z.enum(['newsletter', 'offers']).optional(),
  threshold: z.number(),
});
type NodeDraw = z.infer<typeof NodeDraw>;

const nodeDraw: fc.Arbitrary<NodeDraw> = fc.record(
  {
    kind: fc.constantFrom(...NodeDraw.shape.kind.options, 'send_email', 'send_email', 'send_email', 'wait'),
    other: fc.nat(),
    hours: fc.integer({ min: 1, max: 3 }),
    template: fc.constantFrom(...templates),
    topic: fc.constantFrom('newsletter' as const, 'offers' as const),
    threshold: fc.constantFrom(20, 60, 150),
  },
  { requiredKeys: ['kind', 'other', 'hours', 'template', 'threshold'] },
);

const journeyDraw = fc.record({
  nodes: fc.array(nodeDraw, { minLength: 1, maxLength: 7 }),
  reentry: fc.constantFrom('never' as const, 'always' as const),
  concurrent: fc.boolean(),
  triggerThreshold: fc.option(fc.constantFrom(20, 60), { nil: undefined }),
  exitOnBigOrder: fc.boolean(),
  goal: fc.boolean(),
});

/** Whether any node leads to `id`: the closing exit is added only when something reaches it. */
const referenced = (nodes: ReadonlyArray<Record<string, unknown>>, id: string): boolean =>
  JSON.stringify(nodes.map(({ id: _own, ...links }) => links)).includes(`"${id}"`);

type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;
type JourneyDraw = Drawn<typeof journeyDraw>;

const buildJourney = (id: string, draw: JourneyDraw) => {
  const count = draw.nodes.length;
  const idOf = (index: number) => (index >= count ? 'done' : `n${index}`);
  /** A node after `index`, or the closing exit. */
  const after = (index: number, choice: number) => idOf(index + 1 + (choice % (count - index)));
  const bigOrder = (threshold: number) => ({ 'event.data.total': { $gte: threshold } });
  const nodes = draw.nodes.map((node, index) => {
    const base = { id: idOf(index) };
    const next = idOf(index + 1);
    // An exit before the end would leave the nodes after it unreachable, which the schema refuses.
    const kind = node.kind === 'exit' && index < count - 1 ? 'update_contact' : node.kind;
    switch (kind) {
      case 'send_email':
        return {
          ...base,
          type: 'send_email',
          template: node.template,
          ...(node.topic === undefined ? {} : { topic: node.topic }),
          next,
        };
      case 'send_sms':
        return { ...base, type: 'send_sms', body: 'Your order is on its way.', next };
      case 'wait':
        return { ...base, type: 'wait', duration: `PT${node.hours}H`, next };
      case 'wait_for_event':
        return {
          ...base,
          type: 'wait_for_event',
          event: 'order_completed',
          timeout: `PT${node.hours}H`,
          next,
          timeout_next: after(index, node.other),
        };
      case 'branch':
        return {
          ...base,
          type: 'branch',
          branches: [{ condition: bigOrder(node.threshold), next }],
          else: after(index, node.other),
        };
      case 'split':
        return {
          ...base,
          type: 'split',
          paths: [
            { weight: 1 + (node.other % 3), next },
            { weight: 1, next: after(index, node.other) },
          ],
        };
      case 'update_contact':
        return { ...base, type: 'update_contact', set: { last_step: base.id }, next };
      case 'emit_event':
        return { ...base, type: 'emit_event', detail_type: 'Step Reached', detail: { step: base.id }, next };
      case 'exit':
        return { ...base, type: 'exit', reason: `left at ${base.id}` };
      default: {
        const unknownKind: never = kind;
        throw new Error(`unknown node kind ${String(unknownKind)}`);
      }
    }
  });
  return {
    id,
    name: `Drawn ${id}`,
    trigger: {
      event: 'order_completed',
      ...(draw.triggerThreshold === undefined ? {} : { condition: bigOrder(draw.triggerThreshold) }),
    },
    entry: { reentry: draw.reentry, concurrent: draw.concurrent },
    exit_when: draw.exitOnBigOrder ? [{ event: 'order_completed', condition: bigOrder(150) }] : [],
    ...(draw.goal ? { goal: { event: 'order_completed', within: 'PT3H' } } : {}),
    start: 'n0',
    nodes: referenced(nodes, 'done')
      ? [...nodes, { id: 'done', type: 'exit', reason: 'reached the end' }]
      : nodes,
  };
};

/** Orders on distinct minutes past the hour, which no timer (whole hours after an order) shares. */
const streamDraw = fc.record({
  orders: fc.uniqueArray(
    fc.record({ hour: fc.integer({ min: 0, max: 8 }), total: fc.constantFrom(10, 40, 90, 200) }),
    {
      minLength: 1,
      maxLength: 4,
      selector: (order) => order.hour,
    },
  ),
  unsubscribeAtHour: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
});

type StreamDraw = Drawn<typeof streamDraw>;

// ---------------------------------------------------------------------------------------------

const Enrollments = z.object({
  enrollments: z.array(
    z.object({
      journeyId: z.string(),
      status: z.string(),
      waiting: z.object({ dueAt: z.string().optional(), timeoutAt: z.string().optional() }).optional(),
    }),
  ),
});
const Timeline = z.object({
  timeline: z.array(
    z.object({ kind: z.string(), node: z.string().optional(), reason: z.string().optional() }),
  ),
});

/** When the journey's enrollments of the contact next wake on their own: the earliest wait's end. */
const nextWake = async (email: string, journeyId: string): Promise<number | undefined> => {
  const found = await call('GET', `/admin/contacts?email=${encodeURIComponent(email)}`);
  const times = Enrollments.parse(JSON.parse(found.text))
    .enrollments.filter((enrollment) => enrollment.journeyId === journeyId && enrollment.status === 'active')
    .flatMap((enrollment) => [enrollment.waiting?.dueAt, enrollment.waiting?.timeoutAt])
    .flatMap((at) => (at === undefined ? [] : [Date.parse(at)]));
  return times.length === 0 ? undefined : Math.min(...times);
};

let cases = 0;

const agreeOn = async (draw: JourneyDraw, stream: StreamDraw) => {
  cases += 1;
  const journeyId = `drawn-${cases}`;
  const email = `agreement-${cases}@example.com`;
  // Each case starts on a fresh hour, after the last one's timers.
  clock.set(new Date(Math.ceil((clock.now().getTime() + 1) / hourMs) * hourMs));
  const start = clock.now().getTime();

  const journey = buildJourney(journeyId, draw);
  const saved = await call('PUT', `/admin/journeys/${journeyId}/draft`, journey);
  expect(saved.status, saved.text).toBe(200);
  expect((await call('POST', `/admin/journeys/${journeyId}/publish`)).status).toBe(200);

  await env.http.postJson('/v1/signup', { email, consent: true, topics: ['newsletter'] });
  await env.stack.idle();
  await confirmByEmail(env, email);
  const card = JSON.parse((await call('GET', `/admin/contacts?email=${encodeURIComponent(email)}`)).text);
  const contact = z
    .object({ id: z.string(), email: z.string(), topics: z.array(z.string()) })
    .parse(card.contact);

  const planned = [
    ...stream.orders.map((order, index) => ({
      at: start + order.hour * hourMs + (7 + index * 11) * 60_000,
      kind: 'order' as const,
      total: order.total,
      index,
    })),
    ...(stream.unsubscribeAtHour === undefined
      ? []
      : [{ at: start + stream.unsubscribeAtHour * hourMs + 53 * 60_000, kind: 'unsubscribe' as const }]),
  ].sort((a, b) => a.at - b.at);
  const horizon = start + 16 * hourMs;

  for (;;) {
    const wake = await nextWake(email, journeyId);
    const upcoming = planned[0];
    const next = Math.min(wake ?? Number.POSITIVE_INFINITY, upcoming?.at ?? Number.POSITIVE_INFINITY);
    if (!Number.isFinite(next) || next > horizon) break;
    clock.set(new Date(Math.max(next, clock.now().getTime())));
    if (upcoming !== undefined && upcoming.at <= clock.now().getTime()) {
      planned.shift();
      if (upcoming.kind === 'order') {
        const posted = await env.http.postJson(
          '/v1/events',
          {
            type: 'track',
            event: 'Order Completed',
            email,
            messageId: `${journeyId}-order-${upcoming.index}`,
            timestamp: clock.now().toISOString(),
            properties: {
              order_id: `${journeyId}-${upcoming.index}`,
              total: upcoming.total,
              products: [{ sku: `sku-${upcoming.index}`, price: upcoming.total }],
            },
          },
          { authorization: `Bearer ${key}` },
        );
        expect(posted.status, posted.text).toBe(202);
      } else {
        const [welcome] = (await env.mail.to(email)).filter((mail) =>
          mail.body.text?.includes('/v1/unsubscribe'),
        );
        if (welcome === undefined) throw new Error(`no mail with an unsubscribe link for ${email}`);
        const link = new URL(linkTo(welcome, '/v1/unsubscribe'));
        const left = await env.http.postForm(`${link.pathname}${link.search}`, [
          ['List-Unsubscribe', 'One-Click'],
        ]);
        expect(left.status).toBe(200);
      }
    } else {
      await env.stack.tick();
    }
    await env.stack.idle();
  }

  const exported = ContactExport.parse(
    JSON.parse((await call('GET', `/admin/contacts/${contact.id}/export`)).text),
  );
  const onTheStack = exported.messages
    .filter((message) => message.journeyId === journeyId)
    .map((message) => [message.nodeId, message.status, message.skipReason].filter(Boolean).join(':'))
    .sort();

  const simulated = await call('POST', `/admin/journeys/${journeyId}/simulate`, {
    contact: { id: contact.id, email: contact.email, topics: contact.topics },
    events: exported.events
      .filter((event) => event.type === 'order_completed' || event.type === 'unsubscribed')
      .filter((event) => Date.parse(event.at) >= start)
      .map(({ id, type, at, data }) => ({ id, type, at, data })),
    from: new Date(start - 60_000).toISOString(),
    to: new Date(horizon).toISOString(),
  });
  expect(simulated.status, simulated.text).toBe(200);
  const inTheSimulation = Timeline.parse(JSON.parse(simulated.text))
    .timeline.filter((entry) => entry.kind === 'sent' || entry.kind === 'skipped' || entry.kind === 'failed')
    .map((entry) =>
      [entry.node, entry.kind, entry.kind === 'skipped' ? entry.reason : undefined].filter(Boolean).join(':'),
    )
    .sort();

  expect(inTheSimulation, JSON.stringify({ journey, stream }, null, 2)).toEqual(onTheStack);
};

describe('the simulation and the local stack', () => {
  it('send and skip the same messages for random journeys and random orders', async () => {
    await fc.assert(fc.asyncProperty(journeyDraw, streamDraw, agreeOn), {
      numRuns: runs,
      ...(seed === undefined ? {} : { seed }),
      endOnFailure: true,
    });
  }, 900_000);
});
