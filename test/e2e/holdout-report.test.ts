import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../lib/cli/main.js';
import { journeyReport } from '../../lib/domain/attribution.js';
import { adminToken, startStack } from './support/stack.js';

/**
 * Measuring on the whole local stack: a one-send journey with a 50% holdout and
 * a 30-day purchase goal, 24 people who signed up from three campaigns (or
 * none), purchases on both sides after the journey is over, and the two reports
 * read over HTTP against the numbers this test fed in.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let apiKey: string;

const admin = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: JSON.parse(await response.text()) as unknown };
};

const ingest = async (call: Record<string, unknown>) => {
  const response = await env.http.postJson('/v1/events', call, { authorization: `Bearer ${apiKey}` });
  expect(response.status, response.text).toBe(202);
};

const journeyId = 'quiz-offer';
const campaigns = [
  { utm_source: 'instagram', utm_medium: 'social', utm_campaign: 'autumn' },
  { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' },
  { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'launch' },
  {},
] as const;

interface Person {
  email: string;
  campaign: (typeof campaigns)[number];
  /** Finishes the quiz twice: two enrollments. */
  reenters: boolean;
  /** What they spend after the journey, order by order (the first converts them); set once their group is known. */
  orders: number[];
  /** Refunded of their first order, if anything. */
  refund?: number;
}

const people: Person[] = Array.from({ length: 24 }, (_, index) => ({
  email: `quiz-${index}@example.com`,
  campaign: campaigns[index % campaigns.length] ?? {},
  reenters: index % 7 === 0,
  orders: [],
}));

/**
 * Who buys what, given the groups (a hash of each contact's random id): in
 * each group two of every three members buy, the first of them included, so
 * both sides have buyers; some buy twice; the first buyer in the treatment
 * group gets part of an order back.
 */
const planPurchases = () => {
  for (const group of ['treatment', 'control'] as const) {
    const members = people.filter((person) => groups.get(person.email) === group);
    for (const [place, person] of members.entries()) {
      const index = people.indexOf(person);
      person.orders = place % 3 === 1 ? [] : index % 5 === 0 ? [20 + index, 7.5] : [10 + index * 1.25];
    }
  }
  const refunded = people.find((person) => groups.get(person.email) === 'treatment');
  if (refunded !== undefined) refunded.refund = 5;
};

const ContactAnswer = z.object({
  contact: z.object({ id: z.string() }),
  enrollments: z.array(z.object({ journeyId: z.string(), group: z.enum(['treatment', 'control']) })),
});

const ReportAnswer = z.object({
  from: z.string(),
  to: z.string(),
  holdout: z.unknown(),
  enrollments: z.object({
    treatment: z.object({ entered: z.number(), converted: z.number() }),
    control: z.object({ entered: z.number(), converted: z.number() }),
  }),
});

const groups = new Map<string, 'treatment' | 'control'>();

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  const created = await admin('POST', '/admin/api-keys', { name: 'quiz shop' });
  apiKey = z.object({ key: z.string() }).parse(created.json).key;

  const journey = {
    id: journeyId,
    name: 'Quiz offer',
    trigger: { event: 'track', condition: { 'event.data.name': 'Quiz Finished' } },
    entry: { reentry: 'always' },
    goal: { event: 'order_completed', within: 'P30D' },
    holdout: 50,
    start: 'offer',
    nodes: [{ id: 'offer', type: 'send_email', template: 'welcome' }],
  };
  expect((await admin('PUT', `/admin/journeys/${journeyId}/draft`, journey)).status).toBe(200);
  expect((await admin('POST', `/admin/journeys/${journeyId}/publish`)).status).toBe(200);

  for (const person of people) {
    const signup = await env.http.postJson('/v1/signup', {
      email: person.email,
      consent: true,
      ...person.campaign,
    });
    expect(signup.status).toBe(202);
  }
  await env.stack.idle();
  for (const person of people) {
    for (let round = 0; round < (person.reenters ? 2 : 1); round += 1)
      await ingest({
        type: 'track',
        event: 'Quiz Finished',
        email: person.email,
        messageId: `quiz-${person.email}-${round}`,
      });
  }
  await env.stack.idle();
  for (const person of people) {
    const answer = await admin('GET', `/admin/contacts?email=${encodeURIComponent(person.email)}`);
    const mine = ContactAnswer.parse(answer.json).enrollments.filter((e) => e.journeyId === journeyId);
    expect(mine).toHaveLength(person.reenters ? 2 : 1);
    groups.set(person.email, mine[0]?.group ?? 'treatment');
  }
  planPurchases();
  // The journey sent (or, in the control group, did not send) its one message and is over for everyone.
  for (const [index, person] of people.entries()) {
    for (const [number, total] of person.orders.entries()) {
      await ingest({
        type: 'track',
        event: 'Order Completed',
        email: person.email,
        messageId: `order-${index}-${number}`,
        properties: {
          order_id: `Q-${index}-${number}`,
          total,
          products: [{ sku: 'QUIZ-BOOK', price: total }],
        },
      });
    }
    if (person.refund !== undefined) {
      await ingest({
        type: 'track',
        event: 'Order Refunded',
        email: person.email,
        messageId: `refund-${index}`,
        properties: { order_id: `Q-${index}-0`, total: person.refund },
      });
    }
  }
  await env.stack.idle();
}, 240_000);

afterAll(async () => {
  await env?.stack.stop();
});

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round = (value: number) => Math.round(value * 10_000) / 10_000;

describe('the holdout report of a one-send journey with a purchase goal', () => {
  it('counts members, conversions and revenue on both sides, and the interval, as fed in', async () => {
    const response = await admin('GET', `/admin/journeys/${journeyId}/report`);
    expect(response.status).toBe(200);
    const report = ReportAnswer.parse(response.json);

    const side = (group: 'treatment' | 'control') => {
      const members = people.filter((person) => groups.get(person.email) === group);
      const buyers = members.filter((person) => person.orders.length > 0);
      return {
        // A member converts once, with the order that converted them (refunds later do not change it).
        outcome: {
          members: members.length,
          conversions: buyers.length,
          revenue: round(sum(buyers.map((person) => person.orders[0] ?? 0))),
        },
        enrollments: {
          entered: sum(members.map((person) => (person.reenters ? 2 : 1))),
          converted: sum(buyers.map((person) => (person.reenters ? 2 : 1))),
        },
      };
    };
    const treatment = side('treatment');
    const control = side('control');
    expect(treatment.outcome.members + control.outcome.members).toBe(24);
    // Purchases on both sides.
    expect(treatment.outcome.conversions).toBeGreaterThan(0);
    expect(control.outcome.conversions).toBeGreaterThan(0);

    expect(report.holdout).toEqual(journeyReport({ treatment: treatment.outcome, control: control.outcome }));
    expect(report.enrollments).toEqual({ treatment: treatment.enrollments, control: control.enrollments });
  });
});

describe('orders by source', () => {
  const expectedRows = () =>
    campaigns.map((campaign) => {
      const buyers = people.filter((person) => person.campaign === campaign && person.orders.length > 0);
      const orders = buyers.flatMap((person) => person.orders);
      const refunded = sum(buyers.map((person) => person.refund ?? 0));
      return {
        medium: 'utm_medium' in campaign ? campaign.utm_medium : null,
        source: 'utm_source' in campaign ? campaign.utm_source : null,
        campaign: 'utm_campaign' in campaign ? campaign.utm_campaign : null,
        orders: orders.length,
        customers: buyers.length,
        revenue: round(sum(orders) - refunded),
        refunded,
      };
    });

  it('groups the orders by the signup’s medium, source and campaign, net of refunds', async () => {
    const response = await admin('GET', '/admin/reports/orders-by-source');
    expect(response.status).toBe(200);
    const answer = z
      .object({ bySource: z.array(z.unknown()), byJourney: z.array(z.unknown()), totals: z.unknown() })
      .parse(response.json);
    const rows = expectedRows();
    expect(answer.bySource).toEqual(expect.arrayContaining(rows));
    expect(answer.bySource).toHaveLength(rows.length);
    expect(answer.totals).toEqual({
      orders: sum(rows.map((row) => row.orders)),
      customers: people.filter((person) => person.orders.length > 0).length,
      revenue: round(sum(rows.map((row) => row.revenue))),
      refunded: 5,
    });
    // No one clicked a mail, so no order is credited to a journey.
    expect(answer.byJourney).toEqual([{ journeyId: null, ...(answer.totals as object) }]);
  });

  it('refuses a range longer than a quarter, naming the field', async () => {
    const response = await admin('GET', '/admin/reports/orders-by-source?from=2026-01-01&to=2026-06-01');
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { fields: { to: expect.stringContaining('at most 92') } } });
  });

  it('prints the same through the CLI, as a table and as JSON', async () => {
    const printed: string[] = [];
    const cli = (...args: string[]) =>
      runCli(['reports', 'orders-by-source', ...args, '--api', env.stack.apiUrl, '--token', adminToken], {
        print: (text) => printed.push(text.toString()),
        env: {},
      });
    expect(await cli()).toBe(0);
    const table = printed.join('\n');
    expect(table).toMatch(/^social +instagram +autumn +\d+ +\d+ /m);
    expect(table).toMatch(/^\(none\) +\(none\) +\(none\) +\d+ +\d+ /m);
    expect(table).toContain('total: ');

    printed.length = 0;
    expect(await cli('--json')).toBe(0);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({
      bySource: expect.arrayContaining(expectedRows()),
    });
  });
});
